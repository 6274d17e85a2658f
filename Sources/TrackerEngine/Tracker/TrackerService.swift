import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The composition root: builds the store, the logic and the front ends from a configuration,
/// runs them until graceful shutdown, then closes the listeners and stops the event loops.
public final class TrackerService: Service, Sendable {
    public let configuration: TrackerConfiguration
    public let stats = TrackerStats()
    public let store: any SwarmStore
    public let logic: TrackerLogic
    private let logger: Logger
    private let clock: any TrackerClock
    private let boundAddresses = Locked<[SocketAddress]>([])

    public init(configuration: TrackerConfiguration, logger: Logger, clock: any TrackerClock = SystemClock()) {
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        switch configuration.store {
        case .memory:
            store = MemorySwarmStore(peerTimeout: configuration.effectivePeerTimeout)
        }
        logic = TrackerLogic(
            store: store, policy: configuration.policy, clock: clock,
            sendsExternalIP: configuration.sendsExternalIP, fullScrapeEnabled: configuration.fullScrapeEnabled,
            fullScrapeInterval: configuration.fullScrapeInterval, maxScrapeHashes: configuration.maxScrapeHashes)
    }

    /// The addresses actually bound (ports resolved), once `run` has bound them.
    public var listeningAddresses: [SocketAddress] { boundAddresses.value }

    public func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.threads ?? System.coreCount)
        let server = HTTPServer(logic: logic, stats: stats, limits: configuration.httpLimits)
        var channels: [Channel] = []
        do {
            for address in configuration.http {
                do {
                    let channel = try await server.bind(address, group: group)
                    channels.append(channel)
                    if let local = channel.localAddress {
                        logger.notice("listening", metadata: ["http": "\(local)"])
                    }
                } catch where configuration.httpIsDefault && address.isIPv6 {
                    logger.warning("IPv6 listener not available, serving IPv4 only", metadata: ["address": "\(address)", "error": "\(error)"])
                }
            }
            guard !channels.isEmpty else { throw TrackerStartupError.nothingToListenOn }
            boundAddresses.value = channels.compactMap(\.localAddress)
            logger.notice("tracker started", metadata: [
                "store": "\(configuration.store.rawValue)", "interval": "\(configuration.policy.interval)",
                "peer_timeout": "\(configuration.effectivePeerTimeout)",
            ])
            do {
                try await cancelWhenGracefulShutdown {
                    try await self.sweepExpiredPeers()
                }
            } catch is CancellationError {
                // Graceful shutdown ends the sweeper: the expected way out.
            }
        } catch {
            await close(channels, group: group)
            throw error
        }
        logger.notice("shutting down")
        await close(channels, group: group)
        logger.notice("stopped", metadata: ["announces": "\(stats.count(.announce))"])
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

    private func close(_ channels: [Channel], group: MultiThreadedEventLoopGroup) async {
        for channel in channels {
            try? await channel.close()
        }
        try? await group.shutdownGracefully()
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
