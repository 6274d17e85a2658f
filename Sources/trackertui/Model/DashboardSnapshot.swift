import TrackerEngine

/// Everything the dashboard shows, sampled at one moment: immutable, built off the main thread.
struct DashboardSnapshot: Sendable, Equatable {
    var takenAt: TrackerTime
    /// When the engine (or, attached, the oldest engine) started.
    var startedAt: TrackerTime?
    var listening: [String]
    var store: StoreHealth
    /// Engines reporting to this store (1 in engine mode).
    var nodes: Int
    var announcesPerSecond: Double
    var scrapesPerSecond: Double
    var failuresPerSecond: Double
    /// Announces per second over the last minute, oldest first.
    var announceHistory: [Double]
    var torrents: [TorrentRow]
    /// While this stays the same, a torrent keeps its position in `torrents` (new ones are
    /// appended), so the table can re-sort from its last order, which is nearly sorted already.
    var rowGeneration = 0
    var moderation: ModerationState

    static let empty = DashboardSnapshot(
        takenAt: TrackerTime(seconds: 0), startedAt: nil, listening: [], store: StoreHealth(state: .connected, latencyMicros: nil, description: "…"),
        nodes: 0, announcesPerSecond: 0, scrapesPerSecond: 0, failuresPerSecond: 0, announceHistory: [], torrents: [],
        rowGeneration: 0, moderation: ModerationState())

    var totals: (seeders: Int, leechers: Int) {
        torrents.reduce(into: (0, 0)) { sum, row in
            sum.0 += row.seeders
            sum.1 += row.leechers
        }
    }
}

/// One line of the torrents table.
struct TorrentRow: Sendable, Equatable {
    var infoHash: InfoHash
    var name: String?
    var seeders: Int
    var leechers: Int
    var completed: Int
    var announcesPerMinute: Double
    var lastActivity: TrackerTime
    var blacklisted: Bool

    /// What the table shows as the torrent's name: its name when known, else its hex info-hash.
    var title: String { name ?? infoHash.hex }
}
