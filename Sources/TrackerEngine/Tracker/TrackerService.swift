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
    private let logger: Logger
    private let clock: any TrackerClock
    private let managedRedis: ManagedRedis?

    /// Builds the store (starting the managed redis-server when Redis is the store and no server
    /// is named); `shutdown()` undoes it.
    public init(configuration: TrackerConfiguration, logger: Logger, clock: any TrackerClock = SystemClock()) throws {
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        switch configuration.store {
        case .memory:
            store = MemorySwarmStore(peerTimeout: configuration.effectivePeerTimeout)
            managedRedis = nil
        case .redis:
            let managed = try configuration.redis == nil
                ? ManagedRedis(directory: configuration.dataDirectory ?? ".", logger: logger) : nil
            let endpoint = configuration.redis ?? managed!.endpoint
            store = RedisSwarmStore(endpoint: endpoint, prefix: configuration.redisPrefix, peerTimeout: configuration.effectivePeerTimeout,
                                    threads: configuration.redisThreads)
            managedRedis = managed
            logger.notice("redis store", metadata: ["redis": "\(endpoint)", "prefix": "\(configuration.redisPrefix)"])
        }
        logic = TrackerLogic(
            store: store, policy: configuration.policy, clock: clock,
            sendsExternalIP: configuration.sendsExternalIP, fullScrapeEnabled: configuration.fullScrapeEnabled,
            fullScrapeInterval: configuration.fullScrapeInterval, maxScrapeHashes: configuration.maxScrapeHashes)
    }

    public func run() async throws {
        let server = EpollHTTPServer(responder: HTTPResponder(logic: logic, stats: stats), limits: configuration.httpLimits,
                                     threads: configuration.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let bound = try server.start(configuration.http, optionalIPv6: configuration.httpIsDefault) { address, error in
            logger.warning("IPv6 listener not available, serving IPv4 only", metadata: ["address": "\(address)", "error": "\(error)"])
        }
        for address in bound { logger.notice("listening", metadata: ["http": "\(address)"]) }
        logger.notice("tracker started", metadata: [
            "store": "\(configuration.store.rawValue)", "interval": "\(configuration.policy.interval)",
            "peer_timeout": "\(configuration.effectivePeerTimeout)", "threads": "\(server.threads)",
        ])
        do {
            try await cancelWhenGracefulShutdown {
                try await self.sweepExpiredPeers()
            }
        } catch is CancellationError {
            // Graceful shutdown ends the sweeper: the expected way out.
        }
        logger.notice("shutting down")
        server.stop()
        logger.notice("stopped", metadata: ["announces": "\(stats.count(.announce))"])
    }

    /// Stops the store's threads and the managed redis-server. Call once `run` has returned.
    public func shutdown() {
        (store as? RedisSwarmStore)?.shutdown()
        logger.debug("store stopped")
        managedRedis?.stop()
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

public enum TrackerStartupError: Error, CustomStringConvertible {
    case nothingToListenOn

    public var description: String {
        switch self {
        case .nothingToListenOn: return "no HTTP address could be bound"
        }
    }
}
