import Testing
import TrackerTestSupport
@testable import TrackerEngine

/// What only the Redis store has: several stores (nodes) on one prefix, each with its own idea of
/// the swarms' sizes. Against the tests' real redis-server.
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

    @Test("scripts flushed from the server are loaded again: announces and sweeps go on")
    func scriptsReloaded() async throws {
        let redis = try TestRedis()  // its own server: a flush must not reach other tests
        defer { redis.stop() }
        let store = RedisSwarmStore(endpoint: redis.endpoint, prefix: TestRedis.uniquePrefix(), threads: 1)
        defer { store.shutdown() }
        let h = Fixture.hash(72)
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(1), id: 1, left: 0), now: now)
        let side = try RedisConnection(redis.endpoint, timeout: 1)
        _ = try side.command(["SCRIPT", "FLUSH"])
        let r = try await store.announce(Fixture.announce(h, Fixture.v4(2), id: 2, left: 5), now: now)
        #expect(r.counts == SwarmCounts(seeders: 1, leechers: 1, completed: 0))
        #expect(r.peers(family: Fixture.v4(0)) == [Fixture.v4(1)])
        _ = try side.command(["SCRIPT", "FLUSH"])
        #expect(try await store.expire(now: now.adding(seconds: 7200)) == 2)
    }
}
