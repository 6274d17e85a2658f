import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TrackerEngine

extension TrackerTUI {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the tracker headless (for systemd) until SIGINT or SIGTERM; SIGHUP reloads the catalog, the whitelist and the blacklist file.")

        @OptionGroup var engine: EngineOptions
        @OptionGroup var bench: BenchPrefillOptions

        func run() async throws {
            let level = engine.logLevel
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            let logger = Logger(label: "trackertui")
            PrivateFiles.restrictNewFiles()
            let config = engine.configuration()
            try EngineOptions.createDataDirectory(config.dataDirectory)
            let tracker = try engine.makeTracker(config, logger: logger)
            bench.prefill(tracker, logger: logger)
            defer { tracker.shutdown() }
            // SIGHUP reads the catalog, the whitelist and the blacklist file again, as opentracker reloads its lists.
            signal(SIGHUP, SIG_IGN)
            let reload = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
            reload.setEventHandler { tracker.reloadLists() }
            reload.resume()
            defer { reload.cancel() }
            let group = ServiceGroup(configuration: .init(
                services: [.init(service: tracker)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
            try await group.run()
        }
    }
}
