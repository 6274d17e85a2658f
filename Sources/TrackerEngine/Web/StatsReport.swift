/// What `/stats.json` says (the schema the README documents) and `/stats` shows. Field names
/// are the JSON's (snake_case), so the encoder needs no strategy.
struct StatsReport: Codable, Sendable {
    var generated_at: Int64
    var summary: Summary
    var torrents: TorrentPage

    struct Summary: Codable, Sendable {
        var uptime_seconds: Int64
        var nodes: Int
        var mode: String?
        /// This engine's open HTTP connections.
        var http_connections: Int
        var store: Store
        var torrents: Int
        var peers: Int
        var seeders: Int
        var leechers: Int
        var completed: Int
        /// Since each engine started, summed over the engines shown.
        var requests: Requests
        /// Per second, over the last 10 s or so.
        var rates: Rates
        /// This engine's refusals by reason since it started.
        var failures_by_reason: [String: UInt64]
        /// Announces per second, both protocols, every 10 s over the last hour, oldest first.
        var announces_per_second_history: [Double]
    }

    struct Store: Codable, Sendable {
        var state: String
        var latency_us: Int?
        var description: String
    }

    struct Requests: Codable, Sendable {
        var http: Counts
        var udp: Counts
    }

    struct Counts: Codable, Sendable {
        var announces: UInt64
        var scrapes: UInt64
        var failures: UInt64
    }

    struct Rates: Codable, Sendable {
        var http: RequestRate
        var udp: RequestRate
    }

    struct TorrentPage: Codable, Sendable {
        var total: Int
        var offset: Int
        var limit: Int
        var sort: String
        var descending: Bool
        var filter: String
        var items: [Torrent]
    }

    struct Torrent: Codable, Sendable {
        var info_hash: String
        var name: String?
        var size: UInt64?
        var seeders: Int
        var leechers: Int
        var completed: Int
        var announces: UInt64
        var announces_per_minute: Double
        var first_seen: Int64
        var last_activity: Int64
        var first_started: Int64?
        var last_started: Int64?
        var first_completed: Int64?
        var last_completed: Int64?
        var registered: Int64?
    }
}

/// What `/stats.json?torrent=HEX` says.
struct TorrentReport: Codable, Sendable {
    var generated_at: Int64
    var torrent: StatsReport.Torrent
    var peers: Int
    var deregistered: Int64?
    var blacklisted: Bool
    /// Present when asked for (`peers=N`): at most N peers, by address.
    var peer_list: [Peer]?

    struct Peer: Codable, Sendable {
        /// `1.2.3.4:6881` or `[::1]:6881`.
        var address: String
        var seeder: Bool
        /// 40 hex digits.
        var peer_id: String
        var uploaded: UInt64
        var downloaded: UInt64
        var left: UInt64?
        var first_seen: Int64
        var last_seen: Int64

        init(_ peer: PeerDetail) {
            address = peer.endpoint.description
            seeder = peer.isSeeder
            peer_id = peer.peerID.description
            uploaded = peer.uploaded
            downloaded = peer.downloaded
            left = peer.left
            first_seen = peer.firstSeen.seconds
            last_seen = peer.lastSeen.seconds
        }
    }
}

extension StatsReport.Torrent {
    init(_ info: TorrentInfo, entry: CatalogEntry?, perMinute: Double) {
        info_hash = info.infoHash.hex
        name = entry?.metainfo.name
        size = entry?.metainfo.totalLength
        seeders = info.counts.seeders
        leechers = info.counts.leechers
        completed = info.counts.completed
        announces = info.announces
        announces_per_minute = (perMinute * 10).rounded() / 10
        first_seen = info.firstSeen.seconds
        last_activity = info.lastActivity.seconds
        first_started = info.firstStarted?.seconds
        last_started = info.lastStarted?.seconds
        first_completed = info.firstCompleted?.seconds
        last_completed = info.lastCompleted?.seconds
        registered = [entry?.registered, info.firstSeen].compactMap { $0 }.min()?.seconds
    }
}

extension StatsReport.Counts {
    init(_ counts: RequestCounts) {
        self.init(announces: counts.announces, scrapes: counts.scrapes, failures: counts.failures)
    }
}
