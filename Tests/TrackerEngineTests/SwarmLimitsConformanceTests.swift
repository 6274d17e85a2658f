import Testing
@testable import TrackerEngine
import TrackerTestSupport

/// The swarm limits, the same on both stores (the Redis run against a real redis-server).
@Suite("Swarm limits, both stores")
struct SwarmLimitsConformanceTests {
    static let now = TrackerTime(seconds: 1_700_000_000)

    enum Kind: String, CaseIterable { case memory, redis }

    static func store(_ kind: Kind, _ limits: SwarmLimits) -> (any SwarmStore, () -> Void) {
        switch kind {
        case .memory:
            return (MemorySwarmStore(shardCount: 4, limits: limits), {})
        case .redis:
            let store = RedisSwarmStore(endpoint: TestRedis.shared.endpoint, prefix: TestRedis.uniquePrefix(), threads: 1, limits: limits)
            return (store, { store.shutdown() })
        }
    }

    static func refusal(_ store: any SwarmStore, _ request: AnnounceRequest) async -> StoreError? {
        do {
            _ = try await store.announce(request, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test("a client's peers per swarm are capped, counted per /64 for IPv6; leaving, kicks and expiry give places back", arguments: Kind.allCases)
    func peersPerClient(kind: Kind) async throws {
        let (store, stop) = Self.store(kind, SwarmLimits(maxTorrents: 100, maxPeersPerClient: 4))
        defer { stop() }
        let h = Fixture.hash(900)
        for port in 1...4 { #expect(await Self.refusal(store, Fixture.announce(h, Fixture.v4(1, port: UInt16(port)))) == nil) }
        #expect(await Self.refusal(store, Fixture.announce(h, Fixture.v4(1, port: 99))) == .tooManyPeersFromClient)
        #expect(await Self.refusal(store, Fixture.announce(h, Fixture.v4(1, port: 2))) == nil, "a known peer announces on")
        #expect(await Self.refusal(store, Fixture.announce(h, Fixture.v4(2, port: 99))) == nil, "another client joins")
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(1, port: 1), event: .stopped), now: Self.now)
        #expect(await Self.refusal(store, Fixture.announce(h, Fixture.v4(1, port: 99))) == nil, "a peer that left gave its place")
        #expect(try await store.remove(peer: Fixture.v4(1, port: 2), from: h))
        #expect(await Self.refusal(store, Fixture.announce(h, Fixture.v4(1, port: 98))) == nil, "a kicked peer's place too")
        for i in UInt64(1)...4 {
            let endpoint = PeerEndpoint.v6(IPv6Endpoint(high: 0x2001_0DB8_0000_0009, low: i, port: 6881))
            #expect(await Self.refusal(store, Fixture.announce(h, endpoint)) == nil)
        }
        let rotated = PeerEndpoint.v6(IPv6Endpoint(high: 0x2001_0DB8_0000_0009, low: 0xABCD, port: 6881))
        #expect(await Self.refusal(store, Fixture.announce(h, rotated)) == .tooManyPeersFromClient, "a new interface id in the same /64")
        let counts = try await store.scrape([h], now: Self.now).first?.counts
        #expect(counts.map { $0.seeders + $0.leechers } == 4 + 1 + 4, "refused announces added no one")
        // Expiry empties the swarm; the client's places come back.
        _ = try await store.expire(now: Self.now.adding(seconds: 100_000))
        for port in 10...13 { #expect(await Self.refusal(store, Fixture.announce(h, Fixture.v4(1, port: UInt16(port)))) == nil) }
    }

    @Test("past the most torrents a new swarm is refused and not created; known swarms go on", arguments: Kind.allCases)
    func torrents(kind: Kind) async throws {
        let (store, stop) = Self.store(kind, SwarmLimits(maxTorrents: 2, maxPeersPerClient: 256))
        defer { stop() }
        #expect(await Self.refusal(store, Fixture.announce(Fixture.hash(901), Fixture.v4(1))) == nil)
        #expect(await Self.refusal(store, Fixture.announce(Fixture.hash(902), Fixture.v4(1))) == nil)
        #expect(await Self.refusal(store, Fixture.announce(Fixture.hash(903), Fixture.v4(1))) == .tooManyTorrents)
        #expect(await Self.refusal(store, Fixture.announce(Fixture.hash(901), Fixture.v4(2))) == nil)
        #expect(try await store.scrape([Fixture.hash(903)], now: Self.now).isEmpty, "the refused swarm was not created")
        _ = try await store.purge(Fixture.hash(902))
        #expect(await Self.refusal(store, Fixture.announce(Fixture.hash(903), Fixture.v4(1))) == nil, "a purge frees a place")
    }
}
