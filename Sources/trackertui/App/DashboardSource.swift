import TrackerEngine

/// Where the dashboard's numbers come from and where its actions go: the engine in this
/// process, or (attach mode) a Redis shared by engines elsewhere.
protocol DashboardSource: Sendable {
    var store: any SwarmStore { get }
    var moderator: Moderator { get }
    var clock: any TrackerClock { get }
    /// Names and sizes of the torrents whose .torrent files are known, if any.
    var catalog: TorrentCatalog? { get }
    /// Which rack each peer is in, by name.
    var racks: Racks { get }
    /// Counters summed over the engines shown, and who they are.
    func engines() async -> EngineCounters
}

struct EngineCounters: Sendable {
    var nodes: Int
    var startedAt: TrackerTime?
    var listening: [String]
    var requests: ProtocolCounts
    var access = AccessSummary()
}

/// The engine running in this process.
struct LocalEngineSource: DashboardSource {
    let tracker: TrackerService
    var store: any SwarmStore { tracker.store }
    var moderator: Moderator { tracker.moderator }
    var catalog: TorrentCatalog? { tracker.catalog }
    var racks: Racks { tracker.racks }
    let clock: any TrackerClock

    func engines() async -> EngineCounters {
        let registered = tracker.registered?.summary
        return EngineCounters(nodes: 1, startedAt: tracker.startedAt, listening: tracker.listening, requests: tracker.stats.requests(),
                              access: AccessSummary(mode: tracker.configuration.mode.rawValue, registered: registered?.count,
                                                    whitelist: registered?.whitelist.sorted() ?? []))
    }
}

/// Engines elsewhere that share one Redis: their counters come from the nodes registry.
struct AttachedRedisSource: DashboardSource {
    let store: any SwarmStore
    let nodes: any NodeRegistry
    let moderator: Moderator
    let clock: any TrackerClock
    /// What the engines share of their catalogs and whitelists.
    private let shared: SharedCatalogFollower
    /// The shared catalog's entries, as the sampler reads a catalog.
    var catalog: TorrentCatalog? { followed }
    private let followed = TorrentCatalog()
    /// The racks the engines share.
    let racks = Racks()
    private let sharedRacks: (any RackRegistry)?

    init(store: any SwarmStore, nodes: any NodeRegistry, moderator: Moderator, clock: any TrackerClock, sharedCatalog: any CatalogRegistry,
         sharedRacks: (any RackRegistry)? = nil) {
        self.sharedRacks = sharedRacks
        self.store = store
        self.nodes = nodes
        self.moderator = moderator
        self.clock = clock
        shared = SharedCatalogFollower(registry: sharedCatalog)
        let followed = followed
        moderator.describeTorrents { hash in followed.entry(for: hash).map { ($0.metainfo.name, $0.registered) } }
    }

    func engines() async -> EngineCounters {
        if let changed = await shared.refresh() { followed.replace(with: Array(changed.entries.values)) }
        if let shared = try? await sharedRacks?.sharedRacks(), shared != racks.definitions { try? racks.replace(with: shared) }
        let nodes = (try? await self.nodes.liveNodes(now: clock.now())) ?? []
        return EngineCounters(nodes: nodes.count, startedAt: nodes.map(\.startedAt).min(),
                              listening: nodes.flatMap(\.listening), requests: nodes.reduce(ProtocolCounts()) { $0 + $1.requests },
                              access: access(of: nodes))
    }

    /// The engines' modes (joined when they differ) and what their catalogs and whitelists share.
    private func access(of nodes: [NodeReport]) -> AccessSummary {
        let modes = Set(nodes.compactMap(\.mode)).sorted()
        let catalog = shared.latest
        return AccessSummary(mode: modes.isEmpty ? nil : modes.joined(separator: "/"),
                             registered: modes.contains("closed") ? catalog.registered.count : nil, whitelist: catalog.whitelist.sorted())
    }
}
