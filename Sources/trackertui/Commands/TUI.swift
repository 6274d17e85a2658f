import ArgumentParser
import Atomics
import Foundation
import Logging
import ServiceLifecycle
import TrackerEngine

extension TrackerTUI {
    /// The default mode: the engine on background threads, the dashboard on the main thread.
    struct TUI: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tui",
            abstract: "Run the tracker with its live dashboard (the default).")

        @OptionGroup var engine: EngineOptions
        @OptionGroup var bench: BenchPrefillOptions
        @OptionGroup var dashboard: DashboardOptions

        func run() async throws {
            try TerminalSession.requireTerminal()
            PrivateFiles.restrictNewFiles()
            let config = engine.configuration()
            try EngineOptions.createDataDirectory(config.dataDirectory)
            let ring = LogRing()
            let logger = try TerminalSession.bootstrapLogging(
                logFile: dashboard.logFile ?? engine.resolvedDataDirectory + "/trackertui.log", level: engine.logLevel, ring: ring)
            let tracker = try engine.makeTracker(config, logger: logger)
            bench.prefill(tracker, logger: logger)
            defer { tracker.shutdown() }
            let group = ServiceGroup(configuration: .init(services: [.init(service: tracker)], logger: logger))
            let stop = ManagedAtomic(false)
            let failure = Locked<String?>(nil)
            let engineTask = Task {
                do { try await group.run() } catch { failure.value = "\(error)" }
                stop.store(true, ordering: .relaxed)
            }
            let signals = TerminalSession.stopOnSignals(stop)
            defer { signals.forEach { $0.cancel() } }
            let source = LocalEngineSource(tracker: tracker, clock: SystemClock())
            let colors = TerminalSession.colorsWanted, banSeconds = Int64(dashboard.banDuration)
            await TerminalSession.onMainThread {
                DashboardApp(source: source, logRing: ring, quitStopsEngine: true, banSeconds: banSeconds).run(colors: colors, stop: stop)
            }
            await group.triggerGracefulShutdown()
            await engineTask.value
            if let failure = failure.value { throw TerminalError("the tracker stopped: \(failure)") }
        }
    }
}

/// Options of the dashboard itself, in both modes.
struct DashboardOptions: ParsableArguments {
    @Option(help: "Where to write the log while the dashboard owns the terminal. Default: trackertui.log in the data directory (dashboard.log in the default one when attached).")
    var logFile: String?

    @Option(help: "Seconds a ban (K) lasts.")
    var banDuration: Int = 3600

    func validate() throws {
        guard banDuration > 0 else { throw ValidationError("--ban-duration must be positive") }
    }
}
