import Atomics
import Dispatch
import TrackerEngine

/// The dashboard's loop, on the main thread: read a key (waiting at most 100 ms), fold it and
/// whatever arrived (samples, action results, log lines) into the state, draw what changed.
/// Sampling runs on a background task once a second, so the loop itself costs next to nothing.
final class DashboardApp {
    private let source: any DashboardSource
    private let sampler: SnapshotSampler
    private let runner: EffectRunner
    private let logRing: LogRing
    private let latest = Locked<(version: Int, snapshot: DashboardSnapshot)?>(nil)
    private var state: DashboardState

    init(source: any DashboardSource, logRing: LogRing, quitStopsEngine: Bool, banSeconds: Int64) {
        self.source = source
        self.sampler = SnapshotSampler(source: source)
        self.runner = EffectRunner(source: source, sampler: sampler)
        self.logRing = logRing
        state = DashboardState(quitStopsEngine: quitStopsEngine)
        state.banSeconds = banSeconds
    }

    /// Runs until `q` (confirmed), `stop` (a signal, the engine ending) or an error; the terminal
    /// is restored before it returns.
    func run(colors: Bool, stop: ManagedAtomic<Bool>) {
        let sampling = startSampling()
        defer { sampling.cancel() }
        let screen = CursesScreen(colors: colors)
        defer { screen.close() }
        let view = DashboardView(glyphs: screen.unicode ? .unicode : .ascii)
        var size = screen.size
        _ = state.apply(.resize(rows: size.rows, columns: size.columns))
        var seenSnapshot = 0, seenLog = -1
        var dirty = true
        while !state.finished, !stop.load(ordering: .relaxed) {
            if let key = screen.readKey() {
                if key == .resize || screen.size != size {
                    size = screen.size
                    screen.invalidate()
                    _ = state.apply(.resize(rows: size.rows, columns: size.columns))
                }
                if let intent = Keymap.intent(for: key, in: state) { carryOut(state.apply(intent)) }
                dirty = true
            }
            for intent in runner.drain() {
                carryOut(state.apply(intent))
                dirty = true
            }
            if let (version, snapshot) = latest.value, version != seenSnapshot {
                seenSnapshot = version
                carryOut(state.apply(.snapshot(snapshot)))
                dirty = true
            }
            if state.screen == .log, logRing.version != seenLog {
                seenLog = logRing.version
                _ = state.apply(.logUpdated(logRing.lines))
                dirty = true
            }
            if dirty {
                screen.draw(view.render(state))
                dirty = false
            }
        }
    }

    private func carryOut(_ effects: [Effect]) {
        for effect in effects {
            if effect == .quit { state.finished = true }
            runner.run(effect)
        }
    }

    private func startSampling() -> Task<Void, Never> {
        let sampler = sampler, latest = latest
        return Task.detached(priority: .utility) {
            var version = 0
            while !Task.isCancelled {
                let snapshot = await sampler.sample()
                version += 1
                latest.value = (version, snapshot)
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
