import ArgumentParser
import Dispatch
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

        @Option(help: "memory, or redis (a managed redis-server in a temporary directory; its CPU is counted too).")
        var store = "memory"

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
            if store == "redis" { return try await runRedis() }
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

            // The fill happened a while ago: the incremental refreshes list what is announced after it.
            clock.time.update { $0 = $0.adding(seconds: 10) }
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
            let active = try await store.torrents(activeSince: clock.now().adding(seconds: -2), limit: nil, now: clock.now())
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

        /// The same refreshes over the Redis store; CPU is trackertui's plus redis-server's (INFO cpu).
        func runRedis() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tt-bench-dash-\(getpid())").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let redis = try ManagedRedis(directory: directory, logger: Logger(label: "bench"))
            defer { redis.stop() }
            let info = try RedisConnection(redis.endpoint, timeout: 5)
            let store = RedisSwarmStore(endpoint: redis.endpoint, prefix: "bench", peerTimeout: 3660)
            defer { store.shutdown() }
            let requests = BenchMemory.syntheticRequests(peers: peers, torrents: torrents)
            let clock = StepClock()
            Self.announceAll(requests, to: store, now: clock.now())
            let counter = Locked<UInt64>(0)
            let source = Source(store: store, moderator: Moderator(backend: RedisModerationBackend(endpoint: redis.endpoint, prefix: "bench"),
                                                                  store: store, clock: clock, logger: Logger(label: "bench")),
                                clock: clock, announces: counter)
            let sampler = SnapshotSampler(source: source, fullEvery: Int.max)
            var state = DashboardState(quitStopsEngine: true)
            _ = state.apply(.resize(rows: 24, columns: 80))
            let view = DashboardView(glyphs: .unicode)
            clock.time.update { $0 = $0.adding(seconds: 10) }  // as above
            var redisBefore = try Self.redisCPUMillis(info)
            var full = Timing()
            await refresh(sampler: sampler, state: &state, view: view, into: &full)
            let fullRedis = try Self.redisCPUMillis(info) - redisBefore
            var steady = Timing()
            var steadyRedis = 0.0
            var rng = SystemRandomNumberGenerator()
            for _ in 0..<refreshes {
                clock.time.update { $0 = $0.adding(seconds: 1) }
                Self.announceAll((0..<announcesBetween).map { _ in
                    var request = requests[Int.random(in: 0..<requests.count, using: &rng)]
                    request.event = .none
                    return request
                }, to: store, now: clock.now())
                redisBefore = try Self.redisCPUMillis(info)
                await refresh(sampler: sampler, state: &state, view: view, into: &steady)
                steadyRedis += try Self.redisCPUMillis(info) - redisBefore
            }
            print(String(format: "RESULT bench=dashboard store=redis peers=%d torrents=%d rows=%d announces_between=%d steady_ms=%.2f steady_redis_ms=%.2f full_ms=%.1f full_redis_ms=%.1f",
                         peers, torrents, state.rows.count, announcesBetween, steady.total / Double(refreshes), steadyRedis / Double(refreshes),
                         full.total, fullRedis))
        }

        /// Sends every announce (512 in flight) and waits for every answer.
        static func announceAll(_ requests: [AnnounceRequest], to store: RedisSwarmStore, now: TrackerTime) {
            let inFlight = DispatchSemaphore(value: 512)
            for request in requests {
                inFlight.wait()
                store.announce(request, now: now) { _ in inFlight.signal() }
            }
            for _ in 0..<512 { inFlight.wait() }
            for _ in 0..<512 { inFlight.signal() }  // libdispatch refuses to free a semaphore below its start value
        }

        /// redis-server's user + system CPU so far.
        static func redisCPUMillis(_ connection: RedisConnection) throws -> Double {
            guard case .string(let bytes) = try connection.command(["INFO", "cpu"]) else { return 0 }
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\r\n")
            func value(_ name: String) -> Double {
                lines.first { $0.hasPrefix(name + ":") }.flatMap { Double($0.dropFirst(name.count + 1)) } ?? 0
            }
            return (value("used_cpu_user") + value("used_cpu_sys")) * 1000
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
