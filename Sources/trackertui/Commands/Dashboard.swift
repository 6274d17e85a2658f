import ArgumentParser
import Atomics
import Foundation
import Logging
import TrackerEngine

extension TrackerTUI {
    /// A dashboard with no engine of its own, attached to the Redis that engines share.
    struct Dashboard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dashboard",
            abstract: "Watch and moderate the engines that share a Redis, with no engine of its own.")

        @Option(help: "The Redis the engines use: redis://[:password@]host:port/db or unix:///path/to/socket?db=N.")
        var redis: String

        @Option(help: "The engines' --redis-prefix.")
        var redisPrefix = "tt"

        @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
        var logLevel: Logger.Level = .info

        @OptionGroup var dashboard: DashboardOptions

        func validate() throws {
            guard RedisEndpoint(url: redis) != nil else {
                throw ValidationError("--redis \(redis): expected redis://[:password@]host:port/db or unix:///path/to/socket?db=N")
            }
        }

        func run() async throws {
            try TerminalSession.requireTerminal()
            let endpoint = RedisEndpoint(url: redis)!
            // Fail before taking the terminal when the Redis is not there at all.
            do {
                _ = try RedisConnection(endpoint, timeout: 2)
            } catch {
                throw ValidationError("cannot reach Redis at \(redis): \(error)")
            }
            PrivateFiles.restrictNewFiles()
            let ring = LogRing()
            let logger = try TerminalSession.bootstrapLogging(
                logFile: dashboard.logFile ?? EngineOptions.defaultDataDirectory + "/dashboard.log", level: logLevel, ring: ring)
            let store = RedisSwarmStore(endpoint: endpoint, prefix: redisPrefix, threads: 1)
            defer { store.shutdown() }
            let moderator = Moderator(backend: RedisModerationBackend(endpoint: endpoint, prefix: redisPrefix, logger: logger), store: store, logger: logger)
            moderator.start()
            defer { moderator.stop() }
            logger.notice("dashboard attached", metadata: ["redis": "\(endpoint)", "prefix": "\(redisPrefix)"])
            let stop = ManagedAtomic(false)
            let signals = TerminalSession.stopOnSignals(stop)
            defer { signals.forEach { $0.cancel() } }
            let source = AttachedRedisSource(store: store, nodes: store, moderator: moderator, clock: SystemClock(), sharedCatalog: store, sharedRacks: store)
            let colors = TerminalSession.colorsWanted, banSeconds = Int64(dashboard.banDuration)
            await TerminalSession.onMainThread {
                DashboardApp(source: source, logRing: ring, quitStopsEngine: false, banSeconds: banSeconds).run(colors: colors, stop: stop)
            }
        }
    }
}
