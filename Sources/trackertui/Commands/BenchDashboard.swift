import ArgumentParser
import Foundation
import Glibc
import Logging
import TrackerEngine

extension TrackerTUI {
    /// The dashboard benchmark behind `make bench`: fills a store, then times the CPU of each
    /// dashboard refresh (sample the store, fold the sample into the state, draw the grid), with
    /// announces landing on random torrents between refreshes as in a live tracker. With Redis,
    /// redis-server's CPU is counted apart.
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

        @Option(help: "memory, or redis (a managed redis-server in a temporary directory; its CPU is counted too).")
        var store = "memory"

        func run() async throws {
            let requests = BenchMemory.syntheticRequests(peers: peers, torrents: torrents)
            let clock = ManualClock(BenchMemory.now)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tt-bench-dash-\(getpid())").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let swarms: any SwarmStore, backend: any ModerationBackend
            let announce: ([AnnounceRequest]) -> Void
            let redisMillis: () throws -> Double
            if store == "redis" {
                let bench = try BenchRedis()  // kept alive by the closures below; its deinit stops redis-server
                swarms = bench.store
                backend = RedisModerationBackend(endpoint: bench.redis.endpoint, prefix: "bench", logger: Logger(label: "bench"))
                announce = { bench.announceAll($0, now: clock.now()) }
                redisMillis = bench.cpuMillis
            } else {
                let memory = MemorySwarmStore()
                swarms = memory
                backend = FileModerationBackend(directory: directory, logger: Logger(label: "bench"))
                announce = { for request in $0 { _ = memory.announceImmediately(request, now: clock.now()) } }
                redisMillis = { 0 }
            }
            announce(requests)

            let source = StoreOnlySource(store: swarms, moderator: Moderator(backend: backend, store: swarms, clock: clock, logger: Logger(label: "bench")),
                                         clock: clock)
            let sampler = SnapshotSampler(source: source, fullEvery: Int.max)
            var state = DashboardState(quitStopsEngine: true)
            _ = state.apply(.resize(rows: 24, columns: 80))
            let view = DashboardView(glyphs: .unicode)
            // The fill happened a while ago: the incremental refreshes list what is announced after it.
            clock.advance(seconds: 10)
            var first = Timing()
            try await refresh(sampler: sampler, state: &state, view: view, redisMillis: redisMillis, into: &first)
            var steady = Timing()
            var rng = SystemRandomNumberGenerator()
            for _ in 0..<refreshes {
                clock.advance(seconds: 1)
                announce((0..<announcesBetween).map { _ in
                    var request = requests[Int.random(in: 0..<requests.count, using: &rng)]
                    request.event = .none
                    return request
                })
                source.announces.update { $0 += UInt64(announcesBetween) }
                try await refresh(sampler: sampler, state: &state, view: view, redisMillis: redisMillis, into: &steady)
            }
            await sampler.requestFullListing()
            var relist = Timing()
            try await refresh(sampler: sampler, state: &state, view: view, redisMillis: redisMillis, into: &relist)
            let n = Double(refreshes)
            print(String(format: "RESULT bench=dashboard store=%@ peers=%d torrents=%d rows=%d announces_between=%d steady_ms=%.2f steady_sample_ms=%.2f steady_state_ms=%.2f steady_draw_ms=%.3f steady_redis_ms=%.2f relist_ms=%.1f relist_redis_ms=%.1f",
                         store, peers, torrents, state.rows.count, announcesBetween, steady.total / n, steady.sample / n, steady.state / n,
                         steady.draw / n, steady.redis / n, relist.total, relist.redis))
        }

        struct Timing {
            var sample = 0.0, state = 0.0, draw = 0.0, redis = 0.0
            /// This process's CPU (redis-server's is `redis`).
            var total: Double { sample + state + draw }
        }

        /// One refresh: CPU milliseconds of the whole process per phase, and of redis-server.
        func refresh(sampler: SnapshotSampler, state: inout DashboardState, view: DashboardView, redisMillis: () throws -> Double,
                     into timing: inout Timing) async throws {
            let redisBefore = try redisMillis()
            var t = Self.cpuMillis()
            let snapshot = await sampler.sample()
            timing.sample += Self.cpuMillis() - t
            t = Self.cpuMillis()
            _ = state.apply(.snapshot(snapshot))
            timing.state += Self.cpuMillis() - t
            t = Self.cpuMillis()
            _ = view.render(state)
            timing.draw += Self.cpuMillis() - t
            timing.redis += try redisMillis() - redisBefore
        }

        static func cpuMillis() -> Double {
            var spec = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
            return Double(spec.tv_sec) * 1000 + Double(spec.tv_nsec) / 1_000_000
        }
    }
}
