import Testing
import TrackerTestSupport
@testable import TrackerEngine

/// Engines on one Redis report their counters there; an attached dashboard sums them.
@Suite("Redis node registry")
struct NodeRegistryTests {
    let now = TrackerTime(seconds: 1_700_000_000)

    @Test("each node's HTTP and UDP counts come back apart; a node silent for 10 s is no longer listed")
    func perProtocolCounts() async throws {
        let store = RedisSwarmStore(endpoint: TestRedis.shared.endpoint, prefix: TestRedis.uniquePrefix(), threads: 1)
        defer { store.shutdown() }
        let a = NodeReport(id: "a", startedAt: now, listening: ["http://127.0.0.1:1", "udp://127.0.0.1:1"],
                           requests: ProtocolCounts(http: RequestCounts(announces: 10, scrapes: 2, failures: 1),
                                                    udp: RequestCounts(announces: 7, scrapes: 3, failures: 4)))
        let b = NodeReport(id: "b", startedAt: now.adding(seconds: 5), listening: ["udp://[::1]:2"],
                           requests: ProtocolCounts(udp: RequestCounts(announces: 100)))
        try await store.report(a, now: now)
        try await store.report(b, now: now.adding(seconds: 8))

        let nodes = try await store.liveNodes(now: now.adding(seconds: 9)).sorted { $0.id < $1.id }
        #expect(nodes == [a, b])
        let sum = nodes.reduce(ProtocolCounts()) { $0 + $1.requests }
        #expect(sum.udp.announces == 107 && sum.http.announces == 10 && sum.total.failures == 5)

        #expect(try await store.liveNodes(now: now.adding(seconds: 11)).map(\.id) == ["b"], "a last reported 11 s ago")
    }

    @Test("a report from a node without UDP fields reads as HTTP only; UDP counts above the totals are clamped")
    func olderAndInconsistentFields() {
        let old = NodeReport(id: "x", fields: ["started": "1", "announces": "9", "scrapes": "2", "failures": "1"])
        #expect(old?.requests == ProtocolCounts(http: RequestCounts(announces: 9, scrapes: 2, failures: 1)))
        let odd = NodeReport(id: "y", fields: ["started": "1", "announces": "3", "udp_announces": "5"])
        #expect(odd?.requests.http.announces == 0 && odd?.requests.udp.announces == 5)
    }
}
