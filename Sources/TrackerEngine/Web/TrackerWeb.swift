import Foundation

/// The web pages of one engine (`WebPages`): `/stats.json`, `/stats` and `/metrics`, for the
/// addresses `--stats-allow` lists. With Redis the pages show every engine sharing the store
/// (their counters from the nodes registry, as attached dashboards do); `/metrics` is this
/// engine's, as Prometheus expects of each target, plus the store's totals.
public final class TrackerWeb: WebPages {
    public struct Sources: Sendable {
        public var stats: TrackerStats
        public var store: any SwarmStore
        public var nodes: (any NodeRegistry)?
        public var catalog: TorrentCatalog?
        public var access: AccessControl
        public var clock: any TrackerClock
        public var startedAt: TrackerTime
        public var mode: String

        public init(stats: TrackerStats, store: any SwarmStore, nodes: (any NodeRegistry)?, catalog: TorrentCatalog?, access: AccessControl,
                    clock: any TrackerClock, startedAt: TrackerTime, mode: String) {
            self.stats = stats
            self.store = store
            self.nodes = nodes
            self.catalog = catalog
            self.access = access
            self.clock = clock
            self.startedAt = startedAt
            self.mode = mode
        }
    }

    public static let version = "0.14"
    let sources: Sources
    private let allowed: [AddressRange]
    let history = RequestHistory()
    let listing: TorrentListing
    private let metrics: MetricsExporter
    /// Open HTTP connections, once the front end is up.
    private let connections = Locked<(@Sendable () -> Int)?>(nil)

    public init(_ sources: Sources, allowed: [AddressRange]) {
        self.sources = sources
        self.allowed = allowed
        let catalog = sources.catalog
        listing = TorrentListing(store: sources.store, names: { catalog?.all ?? [:] })
        metrics = MetricsExporter(startedAt: sources.startedAt, version: Self.version, roundTrips: sources.stats.storeRoundTrips)
    }

    /// Where the open HTTP connections are counted (the front end, started after the pages).
    public func countConnections(with count: @escaping @Sendable () -> Int) {
        connections.value = count
    }

    public func isAllowed(_ client: PeerEndpoint) -> Bool {
        let address = PeerAddress(client)
        return allowed.contains { $0.contains(address) }
    }

    public func render(_ page: WebPage, query: String) async -> WebPageBody {
        let now = sources.clock.now()
        switch page {
        case .metrics:
            async let health = sources.store.health()
            let listed = await listing.current(now: now)
            let nodes = await liveNodes(now: now)?.count ?? 1
            return WebPageBody(contentType: "text/plain; version=0.0.4; charset=utf-8",
                               bytes: metrics.render(stats: sources.stats, listed: listed, health: await health, nodes: nodes,
                                                     connections: connections.value?() ?? 0))
        case .statsJSON:
            let parameters = StatsQuery(query)
            if let hex = parameters.torrent {
                guard let hash = InfoHash(hex: hex) else {
                    return WebPageBody(status: .badRequest, contentType: "application/json", bytes: Array(#"{"error":"torrent: expected 40 hex digits"}"#.utf8))
                }
                guard let report = await torrentReport(hash, peers: parameters.peers, fresh: parameters.fresh, now: now) else {
                    return WebPageBody(status: .notFound, contentType: "application/json", bytes: Array(#"{"error":"no such torrent"}"#.utf8))
                }
                return WebPageBody(contentType: "application/json", bytes: Self.encode(report))
            }
            return WebPageBody(contentType: "application/json", bytes: Self.encode(await report(parameters, now: now)))
        case .stats:
            return WebPageBody(contentType: "text/html; charset=utf-8", bytes: Array(StatsPage.html(await report(StatsQuery(query), now: now)).utf8))
        }
    }

    /// Notes the request counts every `RequestHistory.step` seconds, for the chart and the
    /// rates; runs until cancelled.
    /// Keeps the torrents listing under 30 s old besides, so no page waits for one (about 80 ms
    /// of CPU for 100k torrents, in the background).
    public func sampleRequests() async throws {
        var samples = 0
        while true {
            let now = sources.clock.now()
            history.record(requests(of: await liveNodes(now: now)), at: now)
            if samples % 3 == 0 { _ = await listing.current(now: now) }
            samples += 1
            try await Task.sleep(for: .seconds(RequestHistory.step))
        }
    }

    /// Every engine's counters when the store has a registry (this one's included), else this one's.
    private func requests(of live: [NodeReport]?) -> ProtocolCounts {
        guard let live, !live.isEmpty else { return sources.stats.requests() }
        return live.reduce(ProtocolCounts()) { $0 + $1.requests }
    }

    /// The engines reporting to the store, nil without a registry or when it cannot be read.
    private func liveNodes(now: TrackerTime) async -> [NodeReport]? {
        (try? await sources.nodes?.liveNodes(now: now)) ?? nil
    }

    func report(_ query: StatsQuery, now: TrackerTime) async -> StatsReport {
        async let health = sources.store.health()
        let listed = await listing.current(now: now, fresh: query.fresh)
        let live = await liveNodes(now: now)
        let requests = requests(of: live)
        let rates = history.rates(now: requests, at: now)
        listing.noteAsked(query.sort)
        let page = query.page(listed, names: sources.catalog?.all ?? [:])
        let storeHealth = await health
        let summary = StatsReport.Summary(
            uptime_seconds: (now.milliseconds - (live?.map(\.startedAt).min() ?? sources.startedAt).milliseconds) / 1000,
            nodes: live?.count ?? 1, mode: sources.mode, http_connections: connections.value?() ?? 0,
            store: StatsReport.Store(state: Self.name(of: storeHealth.state), latency_us: storeHealth.latencyMicros, description: storeHealth.description),
            torrents: listed.torrents.count, peers: listed.seeders + listed.leechers, seeders: listed.seeders, leechers: listed.leechers,
            completed: listed.completed,
            requests: StatsReport.Requests(http: StatsReport.Counts(requests.http), udp: StatsReport.Counts(requests.udp)),
            rates: StatsReport.Rates(http: rates.http, udp: rates.udp),
            failures_by_reason: Dictionary(uniqueKeysWithValues: ClientError.Reason.allCases.compactMap { reason in
                let count = sources.stats.failures(reason)
                return count > 0 ? (reason.label, count) : nil
            }),
            announces_per_second_history: history.announceRates.map { ($0 * 10).rounded() / 10 })
        return StatsReport(generated_at: now.seconds, summary: summary, torrents: page)
    }

    /// One torrent's report, with `listing` of its peers (by address) when asked for.
    private func torrentReport(_ hash: InfoHash, peers listing: Int, fresh: Bool, now: TrackerTime) async -> TorrentReport? {
        let listed = await self.listing.current(now: now, fresh: fresh)
        guard let info = listed.torrents.first(where: { $0.infoHash == hash }) else { return nil }
        let peers = try? await sources.store.peers(of: hash, now: now)
        let moderation = sources.access.current
        // Sorted by the address as written (what the report and `trackertui peers` show), each written once.
        let listedPeers = listing > 0
            ? peers.map { $0.map(TorrentReport.Peer.init).sorted { $0.address < $1.address }.prefix(listing).map { $0 } }
            : nil
        return TorrentReport(generated_at: now.seconds,
                             torrent: StatsReport.Torrent(info, entry: sources.catalog?.entry(for: hash), perMinute: listed.perMinute(info)),
                             peers: peers?.count ?? info.counts.peers, deregistered: moderation.deregistered[hash]?.seconds,
                             blacklisted: moderation.blacklist.contains(hash), peer_list: listedPeers)
    }

    /// `in_process`, `connected`, `full`, `unreachable`: the JSON's words for the store's state.
    static func name(of state: StoreHealth.State) -> String {
        switch state {
        case .inProcess: return "in_process"
        case .connected: return "connected"
        case .full: return "full"
        case .unreachable: return "unreachable"
        }
    }

    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array((try? encoder.encode(value)) ?? Data(#"{"error":"not encodable"}"#.utf8))
    }
}
