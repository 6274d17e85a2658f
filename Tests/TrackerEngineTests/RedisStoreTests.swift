import Testing
import TrackerTestSupport
@testable import TrackerEngine

/// What only the Redis store has: several stores (nodes) on one prefix, and set sizes kept in the
/// lifecycle hash. Against the tests' real redis-server.
@Suite("Redis store")
struct RedisStoreTests {
    let now = TrackerTime(seconds: 1_700_000_000)

    @Test("a node that has never seen a swarm still samples it whole")
    func freshNodeSamples() async throws {
        let prefix = TestRedis.uniquePrefix()
        let a = RedisSwarmStore(endpoint: TestRedis.shared.endpoint, prefix: prefix, threads: 1)
        defer { a.shutdown() }
        let h = Fixture.hash(70)
        for i in 1...30 { _ = try await a.announce(Fixture.announce(h, Fixture.v4(UInt8(i)), id: UInt64(i), left: 5), now: now) }

        let leecherNode = RedisSwarmStore(endpoint: TestRedis.shared.endpoint, prefix: prefix, threads: 1)
        defer { leecherNode.shutdown() }
        let leecher = try await leecherNode.announce(Fixture.announce(h, Fixture.v4(31), id: 31, left: 5, numwant: 20), now: now)
        #expect(leecher.peers(family: Fixture.v4(0)).count == 20, "leechers only in the swarm: the sample is all leechers")

        let seederNode = RedisSwarmStore(endpoint: TestRedis.shared.endpoint, prefix: prefix, threads: 1)
        defer { seederNode.shutdown() }
        let seeder = try await seederNode.announce(Fixture.announce(h, Fixture.v4(32), id: 32, left: 0, numwant: 50), now: now)
        #expect(Set(seeder.peers(family: Fixture.v4(0))).count == 31)
        #expect(seeder.counts == SwarmCounts(seeders: 1, leechers: 31, completed: 0))
    }

    @Test("set sizes in the lifecycle hash follow kicks, are counted afresh when missing, and are set right by sweeps")
    func sizesInLifecycle() async throws {
        let prefix = TestRedis.uniquePrefix()
        let store = RedisSwarmStore(endpoint: TestRedis.shared.endpoint, prefix: prefix, threads: 1)
        defer { store.shutdown() }
        let h = Fixture.hash(71)
        for i in 1...4 { _ = try await store.announce(Fixture.announce(h, Fixture.v4(UInt8(i)), id: UInt64(i), left: i == 1 ? 0 : 5), now: now) }
        _ = try await store.announce(Fixture.announce(h, Fixture.v6(1), id: 9, left: 0), now: now)
        #expect(try await store.scrape([h], now: now).first?.counts == SwarmCounts(seeders: 2, leechers: 3, completed: 0))

        #expect(try await store.remove(peer: Fixture.v4(2), from: h))
        #expect(try await store.scrape([h], now: now).first?.counts == SwarmCounts(seeders: 2, leechers: 2, completed: 0))
        #expect(try await store.torrents(now: now).first?.counts == SwarmCounts(seeders: 2, leechers: 2, completed: 0))

        // Older data without the sizes: the next announce counts the sets.
        let lifecycle = store.keys.swarm(h).lifecycle
        let connection = try RedisConnection(TestRedis.shared.endpoint, timeout: 1)
        _ = try connection.command(["HDEL", lifecycle, "s4", "l4", "s6", "l6"])
        let next = try await store.announce(Fixture.announce(h, Fixture.v4(3), id: 3, left: 5), now: now)
        #expect(next.counts == SwarmCounts(seeders: 2, leechers: 2, completed: 0))

        // A size gone wrong is set right by the sweep.
        _ = try connection.command(["HSET", lifecycle, "l4", "40"])
        _ = try await store.expire(now: now)
        #expect(try await store.scrape([h], now: now).first?.counts == SwarmCounts(seeders: 2, leechers: 2, completed: 0))
    }
}
