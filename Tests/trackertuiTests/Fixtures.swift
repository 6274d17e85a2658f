@testable import trackertui
import TrackerEngine

/// Rows, peers and snapshots for the dashboard's tests.
enum Fixtures {
    static let now = TrackerTime(seconds: 1_700_000_000)

    static func hash(_ hex: String) -> InfoHash {
        InfoHash(hex: hex.padding(toLength: 40, withPad: "0", startingAt: 0))!
    }

    /// A row; with a `name`, as the catalog would describe it (a 1 GiB single-file torrent).
    static func row(_ hex: String, name: String? = nil, seeders: Int = 0, leechers: Int = 0, completed: Int = 0,
                    rate: Double = 0, idle: Int64 = 5, blacklisted: Bool = false) -> TorrentRow {
        let entry = name.map {
            CatalogEntry(metainfo: TorrentMetainfo(v1: hash(hex), v2: nil, name: $0, totalLength: 1 << 30, fileCount: 1,
                                                   pieceLength: 1 << 18, isPrivate: false), path: "/t/\($0).torrent")
        }
        return TorrentRow(infoHash: hash(hex), seeders: seeders, leechers: leechers, completed: completed,
                          announcesPerMinute: rate, lastActivity: now.adding(seconds: -idle), blacklisted: blacklisted, catalogEntry: entry)
    }

    static func snapshot(_ rows: [TorrentRow], moderation: ModerationState = ModerationState()) -> DashboardSnapshot {
        var s = DashboardSnapshot.empty
        s.takenAt = now
        s.startedAt = now.adding(seconds: -3725)
        s.listening = ["http://127.0.0.1:6969"]
        s.store = StoreHealth(state: .connected, latencyMicros: 420, description: "redis unix:///tmp/r.sock")
        s.nodes = 1
        s.rates = ProtocolRates(http: RequestRates(announces: 10, failures: 2), udp: RequestRates(announces: 2.5, scrapes: 1))
        s.announceHistory = [1, 2, 4, 8, 12.5]
        s.torrents = rows
        s.moderation = moderation
        return s
    }

    static func peer(_ last: UInt8, seeder: Bool, id: String = "-qB4520-abcdefghijkl", seen: Int64 = 10) -> PeerDetail {
        PeerDetail(endpoint: .v4(IPv4Endpoint(address: 0x0A00_0000 | UInt32(last), port: 6881)),
                   peerID: PeerID(bytes: Array(id.utf8))!, isSeeder: seeder, uploaded: 1 << 20, downloaded: 3 << 30,
                   left: seeder ? 0 : 5000, lastEvent: .none, key: nil, firstSeen: now.adding(seconds: -100), lastSeen: now.adding(seconds: -seen))
    }

    /// A state at 80×24 holding three torrents.
    static func state(quitStopsEngine: Bool = true) -> DashboardState {
        var state = DashboardState(quitStopsEngine: quitStopsEngine)
        _ = state.apply(.resize(rows: 24, columns: 80))
        _ = state.apply(.snapshot(snapshot([
            row("aa", name: "debian-12.iso", seeders: 5, leechers: 1, completed: 9, rate: 3),
            row("bb", seeders: 1, leechers: 7, completed: 2, rate: 12),
            row("cc", name: "ubuntu-24.04.iso", seeders: 9, leechers: 0, completed: 40, rate: 1),
        ])))
        return state
    }
}
