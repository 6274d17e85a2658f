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
}
