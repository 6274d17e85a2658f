import ArgumentParser
import Foundation
import Glibc
import Logging
import TrackerEngine

extension TrackerTUI {
    /// The dashboard benchmark behind `make bench`: fills a memory store, then times the CPU of
    /// each dashboard refresh (sample the store, fold the sample into the state, draw the grid),
    /// with announces landing on random torrents between refreshes as in a live tracker.
    struct BenchDashboard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench-dashboard",
            abstract: "Time the dashboard's refresh over a large synthetic store.",
            shouldDisplay: false)

        @Option(help: "Peers in the store.")
        var peers = 1_000_000

        @Option(help: "Torrents they are spread over.")
        var torrents = 100_000

        @Option(help: "Refreshes to time.")
        var refreshes = 20

        @Option(help: "Announces between two refreshes.")
        var announcesBetween = 2000

        final class StepClock: TrackerClock {
            let time = Locked(BenchMemory.now)
            func now() -> TrackerTime { time.value }
        }

        struct Source: DashboardSource {
            let store: any SwarmStore
            let moderator: Moderator
            let clock: any TrackerClock
            let announces: Locked<UInt64>
            func engines() async -> EngineCounters {
                EngineCounters(nodes: 1, startedAt: BenchMemory.now, listening: ["http://127.0.0.1:6969"], announces: announces.value,
                               scrapes: 0, failures: 0)
            }
        }

        func run() async throws {
            let store = MemorySwarmStore()
            let requests = BenchMemory.syntheticRequests(peers: peers, torrents: torrents)
            for request in requests { _ = store.announceImmediately(request, now: BenchMemory.now) }
            let clock = StepClock()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tt-bench-dash-\(getpid())").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let counter = Locked<UInt64>(0)
            let source = Source(store: store, moderator: Moderator(backend: FileModerationBackend(directory: directory), store: store,
                                                                  clock: clock, logger: Logger(label: "bench")),
                                clock: clock, announces: counter)
            let sampler = SnapshotSampler(source: source, fullEvery: Int.max)
            var state = DashboardState(quitStopsEngine: true)
            _ = state.apply(.resize(rows: 24, columns: 80))
            let view = DashboardView(glyphs: .unicode)

            var full = Timing()
            await refresh(sampler: sampler, state: &state, view: view, into: &full)
            var steady = Timing()
            var rng = SystemRandomNumberGenerator()
            for _ in 0..<refreshes {
                clock.time.update { $0 = $0.adding(seconds: 1) }
                for _ in 0..<announcesBetween {
                    var request = requests[Int.random(in: 0..<requests.count, using: &rng)]
                    request.event = .none
                    _ = store.announceImmediately(request, now: clock.now())
                }
                counter.update { $0 += UInt64(announcesBetween) }
                await refresh(sampler: sampler, state: &state, view: view, into: &steady)
            }
            let listStart = Self.cpuMillis()
            let active = try await store.torrents(activeSince: clock.now().adding(seconds: -2), now: clock.now())
            let listing = Self.cpuMillis() - listStart
            await sampler.requestFullListing()
            var relist = Timing()
            await refresh(sampler: sampler, state: &state, view: view, into: &relist)
            let totals = store.totals()
            print(String(format: "RESULT bench=dashboard peers=%d torrents=%d rows=%d announces_between=%d steady_ms=%.2f steady_sample_ms=%.2f steady_state_ms=%.2f steady_draw_ms=%.3f full_ms=%.1f relist_ms=%.1f listing_ms=%.2f active=%d",
                         totals.peers, totals.torrents, state.rows.count, announcesBetween, steady.total / Double(refreshes),
                         steady.sample / Double(refreshes), steady.state / Double(refreshes), steady.draw / Double(refreshes),
                         full.total, relist.total, listing, active.count))
        }

        struct Timing {
            var sample = 0.0, state = 0.0, draw = 0.0
            var total: Double { sample + state + draw }
        }

        /// One refresh, CPU milliseconds of the whole process per phase.
        func refresh(sampler: SnapshotSampler, state: inout DashboardState, view: DashboardView, into timing: inout Timing) async {
            var t = Self.cpuMillis()
            let snapshot = await sampler.sample()
            timing.sample += Self.cpuMillis() - t
            t = Self.cpuMillis()
            _ = state.apply(.snapshot(snapshot))
            timing.state += Self.cpuMillis() - t
            t = Self.cpuMillis()
            _ = view.render(state)
            timing.draw += Self.cpuMillis() - t
        }

        static func cpuMillis() -> Double {
            var spec = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
            return Double(spec.tv_sec) * 1000 + Double(spec.tv_nsec) / 1_000_000
        }
    }
}
