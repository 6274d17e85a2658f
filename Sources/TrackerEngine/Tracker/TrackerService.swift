import Foundation
import Logging
import ServiceLifecycle

/// The composition root: builds the store, the logic and the front ends from a configuration,
/// runs them until graceful shutdown, then stops the HTTP workers (listeners and connections closed).
public final class TrackerService: Service, Sendable {
    public let configuration: TrackerConfiguration
    public let stats = TrackerStats()
    public let store: any SwarmStore
    public let logic: TrackerLogic
    /// Blacklist, bans and kicks, persisted in Redis (or files in the data directory with `--store memory`).
    public let moderator: Moderator
    /// Which rack each peer is in (`--rack`, `--racks`).
    public let racks = Racks()
    /// `/stats`, `/stats.json`, `/metrics`.
    public let web: TrackerWeb
    public let startedAt: TrackerTime
    /// This engine's name in the nodes registry: host and process id.
    public let nodeID: String
    private let boundAddresses = Locked<[String]>([])
    let logger: Logger
    private let clock: any TrackerClock
    private let managedRedis: ManagedRedis?
    /// Where this engine reports its counters for attached dashboards (Redis only).
    private let nodes: (any NodeRegistry)?
    /// Stops the store's own threads, if it has any.
    private let stopStore: @Sendable () -> Void
    /// The catalog, closed mode and the list files.
    private let lists: TorrentLists
    /// The .torrent files of `--torrents`, by info-hash (empty without).
    public var catalog: TorrentCatalog { lists.catalog }
    /// Closed mode's registered torrents; nil in open mode.
    public var registered: RegisteredTorrents? { lists.registered }

    /// Builds the store (starting the managed redis-server when Redis is the store and no server
    /// is named); `shutdown()` undoes it.
    public init(configuration: TrackerConfiguration, logger: Logger, clock: any TrackerClock = SystemClock()) throws {
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.startedAt = clock.now()
        self.nodeID = "\(ProcessInfo.processInfo.hostName)/\(getpid())"
        let backend: any ModerationBackend
        switch configuration.store {
        case .memory:
            store = MemorySwarmStore(peerTimeout: configuration.effectivePeerTimeout, limits: configuration.swarmLimits,
                                     archivePath: (configuration.dataDirectory ?? ".") + "/archive", logger: logger)
            managedRedis = nil
            nodes = nil
            stopStore = {}
            backend = FileModerationBackend(directory: configuration.dataDirectory ?? ".", logger: logger)
        case .redis:
            let managed = try configuration.redis == nil
                ? ManagedRedis(directory: configuration.dataDirectory ?? ".",
                               maxMemoryBytes: configuration.redisMaxMemory ?? ManagedRedis.defaultMaxMemoryBytes, logger: logger) : nil
            let endpoint = configuration.redis ?? managed!.endpoint
            let redis = RedisSwarmStore(endpoint: endpoint, prefix: configuration.redisPrefix, peerTimeout: configuration.effectivePeerTimeout,
                                        threads: configuration.redisThreads, limits: configuration.swarmLimits, racks: racks,
                                        roundTrips: stats.storeRoundTrips)
            store = redis
            nodes = redis
            stopStore = { redis.shutdown() }
            managedRedis = managed
            backend = RedisModerationBackend(endpoint: endpoint, prefix: configuration.redisPrefix, logger: logger)
            logger.notice("redis store", metadata: ["redis": "\(endpoint)", "prefix": "\(configuration.redisPrefix)"])
        }
        let moderator = Moderator(backend: backend, store: store, clock: clock, logger: logger)
        self.moderator = moderator
        lists = TorrentLists(configuration: configuration, store: store, moderator: moderator, logger: logger)
        web = TrackerWeb(TrackerWeb.Sources(stats: stats, store: store, nodes: nodes, catalog: lists.names, access: moderator.access,
                                            clock: clock, startedAt: startedAt, mode: configuration.mode.rawValue),
                         allowed: configuration.statsAllow)
        logic = TrackerLogic(
            store: store, policy: configuration.policy, clock: clock,
            sendsExternalIP: configuration.sendsExternalIP, fullScrapeEnabled: configuration.fullScrapeEnabled,
            fullScrapeInterval: configuration.fullScrapeInterval, maxScrapeHashes: configuration.maxScrapeHashes,
            access: moderator.access, racks: racks)
    }

    /// The addresses actually bound (`http://…`, `udp://…`), once `run` has started serving.
    public var listening: [String] { boundAddresses.value }

    public func run() async throws {
        // The rules apply from the first request: loaded before any listener opens.
        moderator.start()
        loadRacks()
        await lists.start()
        let threads = configuration.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let responder = HTTPResponder(logic: logic, stats: stats, trustedProxies: TrustedProxies(configuration.trustedProxies),
                                      catalog: lists.names, web: configuration.admin.isEmpty ? web : nil)
        let server = EpollHTTPServer(responder: responder,
                                     limits: fittedLimits(threads: threads), threads: threads)
        web.countConnections { server.openConnections }
        let udpServer = UDPServer(responder: UDPResponder(logic: logic, stats: stats), threads: threads)
        var listening: [String] = []
        var httpBound: [ListenAddress] = [], adminBound: [ListenAddress] = []
        if !configuration.http.isEmpty {
            let bound = try server.start(configuration.http, optionalIPv6: configuration.httpIsDefault) { address, error in
                logger.warning("IPv6 listener not available, serving IPv4 only", metadata: ["address": "\(address)", "error": "\(error)"])
            }
            for address in bound { logger.notice("listening", metadata: ["http": "\(address)"]) }
            listening += bound.map { "http://\($0)" }
            httpBound = bound
        }
        let adminServer = configuration.admin.isEmpty
            ? nil : EpollHTTPServer(responder: HTTPResponder(logic: logic, stats: stats, web: web, servesTracker: false), threads: 1)
        if let adminServer {
            adminBound = try adminServer.start(configuration.admin)
            for address in adminBound {
                logger.notice("listening", metadata: ["admin": "\(address)"])
                listening.append("admin http://\(address)")
            }
        }
        if !configuration.udp.isEmpty {
            let bound = try udpServer.start(configuration.udp, optionalIPv6: configuration.udpIsDefault) { address, error in
                logger.warning("IPv6 UDP socket not available, serving IPv4 only", metadata: ["address": "\(address)", "error": "\(error)"])
            }
            for address in bound { logger.notice("listening", metadata: ["udp": "\(address)"]) }
            listening += bound.map { "udp://\($0)" }
        }
        boundAddresses.update { $0 = listening }
        if let directory = configuration.dataDirectory {
            do {
                try PagesAddressFile.write(admin: adminBound, http: httpBound, directory: directory)
            } catch {
                logger.warning("cannot note where the pages are served; torrents list and peers will need --pages", metadata: ["error": "\(error)"])
            }
        }
        logger.notice("tracker started", metadata: [
            "store": "\(configuration.store.rawValue)", "interval": "\(configuration.policy.interval)",
            "peer_timeout": "\(configuration.effectivePeerTimeout)", "threads": "\(server.threads)",
        ])
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await self.sweepExpiredPeers() }
                    group.addTask { try await self.web.sampleRequests() }
                    if let nodes = self.nodes { group.addTask { try await self.reportNode(to: nodes) } }
                    if self.lists.followsShared { group.addTask { try await self.lists.followShared() } }
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch is CancellationError {
            // Graceful shutdown ends the sweeper: the expected way out.
        }
        logger.notice("shutting down")
        moderator.stop()
        lists.stop()
        server.stop()
        adminServer?.stop()
        udpServer.stop()
        logger.notice("stopped", metadata: [
            "announces": "\(stats.count(.announce))", "udp_announces": "\(stats.count(.udpAnnounce))",
            "udp_ignored": "\(stats.count(.udpIgnored))", "udp_receive_dropped": "\(stats.count(.udpReceiveDropped))",
            "udp_send_dropped": "\(stats.count(.udpSendDropped))",
        ])
    }

    /// The HTTP limits, trusted proxies exempt from the per-address count, with `maxConnections` lowered to what the descriptor limit allows (after
    /// raising its soft value to the hard one) minus a reserve: running out of descriptors would
    /// make accept fail and leave the store and the moderation files unable to open.
    private func fittedLimits(threads: Int) -> HTTPServerLimits {
        var limits = configuration.httpLimits
        limits.exemptFromPerAddressLimit += configuration.trustedProxies
        let available = DescriptorLimit.raiseSoftLimitToHard()
        let reserve = DescriptorLimit.reserve(threads: threads, listenAddresses: configuration.http.count + configuration.udp.count)
        let fitting = max(1, available - reserve)
        if limits.maxConnections > fitting {
            logger.warning("--max-connections lowered to fit the open-file limit", metadata: [
                "max_connections": "\(fitting)", "asked": "\(limits.maxConnections)", "open_file_limit": "\(available)",
                "hint": "raise it with LimitNOFILE= (systemd) or ulimit -n",
            ])
            limits.maxConnections = fitting
        }
        return limits
    }

    /// Stops the store's threads and the managed redis-server. Call once `run` has returned.
    public func shutdown() {
        stopStore()
        logger.debug("store stopped")
        managedRedis?.stop()
    }

    /// Reads the catalog's directories, the whitelist and the blacklist file again (SIGHUP).
    public func reloadLists() {
        lists.reload()
        loadRacks()
    }

    /// Every second, this engine's counters go to Redis for dashboards attached there.
    private func reportNode(to nodes: any NodeRegistry) async throws {
        while true {
            let report = NodeReport(id: nodeID, startedAt: startedAt, listening: listening, requests: stats.requests(),
                                    mode: configuration.mode.rawValue)
            try? await nodes.report(report, now: clock.now())
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// Expiry on its own timer, like opentracker's: swarms are swept shard by shard.
    private func sweepExpiredPeers() async throws {
        while true {
            try await Task.sleep(for: .seconds(configuration.sweepInterval))
            do {
                let dropped = try await store.expire(now: clock.now())
                if dropped > 0 { logger.debug("expired peers", metadata: ["count": "\(dropped)"]) }
            } catch {
                logger.warning("expiry sweep failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
