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
    /// Requests per second, per protocol, over the last sample's interval.
    var rates: ProtocolRates
    /// Announces per second over the last minute, oldest first.
    var announceHistory: [Double]
    var torrents: [TorrentRow]
    /// While this stays the same, a torrent keeps its position in `torrents` (new ones are
    /// appended), so the table can re-sort from its last order, which is nearly sorted already.
    var rowGeneration = 0
    var moderation: ModerationState
    var access = AccessSummary()

    static let empty = DashboardSnapshot(
        takenAt: TrackerTime(seconds: 0), startedAt: nil, listening: [], store: StoreHealth(state: .connected, latencyMicros: nil, description: "…"),
        nodes: 0, rates: ProtocolRates(), announceHistory: [], torrents: [],
        rowGeneration: 0, moderation: ModerationState())

    /// The row of `infoHash`, if listed (a scan: views call it for one or a few torrents).
    func row(_ infoHash: InfoHash) -> TorrentRow? {
        torrents.first { $0.infoHash == infoHash }
    }

    var totals: (seeders: Int, leechers: Int) {
        torrents.reduce(into: (0, 0)) { sum, row in
            sum.0 += row.seeders
            sum.1 += row.leechers
        }
    }
}

/// Which torrents the engines track: their mode and, in closed mode, what is registered.
struct AccessSummary: Sendable, Equatable {
    /// `open`, `closed`, or several modes joined when attached engines differ; nil: not known.
    var mode: String?
    /// Torrents registered in closed mode (catalogs and whitelists), when known.
    var registered: Int?
    var whitelist: [InfoHash] = []
}

/// Requests per second over one protocol.
struct RequestRates: Sendable, Equatable {
    var announces = 0.0
    var scrapes = 0.0
    var failures = 0.0
}

/// Requests per second, per protocol.
struct ProtocolRates: Sendable, Equatable {
    var http = RequestRates()
    var udp = RequestRates()

    var total: RequestRates {
        RequestRates(announces: http.announces + udp.announces, scrapes: http.scrapes + udp.scrapes, failures: http.failures + udp.failures)
    }

    /// The rates between two readings of the counters `seconds` apart (zero where a counter went
    /// back: an engine restarted or left).
    init(from old: ProtocolCounts, to new: ProtocolCounts, seconds: Double) {
        func rates(_ a: RequestCounts, _ b: RequestCounts) -> RequestRates {
            func rate(_ a: UInt64, _ b: UInt64) -> Double { b >= a ? Double(b - a) / seconds : 0 }
            return RequestRates(announces: rate(a.announces, b.announces), scrapes: rate(a.scrapes, b.scrapes),
                                failures: rate(a.failures, b.failures))
        }
        self.init(http: rates(old.http, new.http), udp: rates(old.udp, new.udp))
    }

    init(http: RequestRates = RequestRates(), udp: RequestRates = RequestRates()) {
        self.http = http
        self.udp = udp
    }
}

/// A torrent's dates as the store keeps them.
struct TorrentLifecycle: Sendable, Equatable {
    var firstSeen: TrackerTime?
    var firstStarted: TrackerTime?
    var lastStarted: TrackerTime?
    var firstCompleted: TrackerTime?
    var lastCompleted: TrackerTime?
}

/// One line of the torrents table.
struct TorrentRow: Sendable, Equatable {
    var infoHash: InfoHash
    var seeders: Int
    var leechers: Int
    var completed: Int
    var announcesPerMinute: Double
    var lastActivity: TrackerTime
    var blacklisted: Bool
    /// When the tracker first saw the torrent and when it was first and last started and
    /// completed (nil: never, or not known).
    var lifecycle = TorrentLifecycle()
    /// The .torrent file behind the row, when the catalog has one.
    var catalogEntry: CatalogEntry? = nil

    /// From the catalog's .torrent file, when there is one.
    var name: String? { catalogEntry?.metainfo.name }
    /// Bytes of content, from the catalog.
    var size: UInt64? { catalogEntry?.metainfo.totalLength }

    /// What the table shows as the torrent's name: its name when known, else its hex info-hash.
    var title: String { name ?? infoHash.hex }
}
