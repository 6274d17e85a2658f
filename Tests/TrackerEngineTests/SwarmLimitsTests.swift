import Testing
@testable import TrackerEngine

/// Bounded state: a client cannot make the store hold more than the limits allow.
@Suite("Swarm limits")
struct SwarmLimitsTests {
    static let now = TrackerTime(seconds: 1_700_000_000)

    @Test("past --max-torrents a new swarm is refused with 'tracker is full'; known swarms still work; a purge frees a place")
    func maxTorrents() async throws {
        let store = MemorySwarmStore(shardCount: 4, limits: SwarmLimits(maxTorrents: 3, maxPeersPerClient: 256))
        for n in 1...3 { #expect(store.announceImmediately(Fixture.announce(Fixture.hash(UInt64(n)), Fixture.v4(1)), now: Self.now)?.isSuccess == true) }
        #expect(store.announceImmediately(Fixture.announce(Fixture.hash(4), Fixture.v4(1)), now: Self.now)?.failure == .tooManyTorrents)
        #expect(StoreError.tooManyTorrents.clientError.description == "tracker is full")
        #expect(store.announceImmediately(Fixture.announce(Fixture.hash(1), Fixture.v4(2)), now: Self.now)?.isSuccess == true, "a known swarm takes new peers")
        #expect(store.totals().torrents == 3, "nothing was created for the refused announce")
        _ = try await store.purge(Fixture.hash(2))
        #expect(store.announceImmediately(Fixture.announce(Fixture.hash(4), Fixture.v4(1)), now: Self.now)?.isSuccess == true)
        // Expiry frees places too.
        #expect(store.expireNow(Self.now.adding(seconds: 100_000_000)) > 0)
        #expect(store.announceImmediately(Fixture.announce(Fixture.hash(5), Fixture.v4(1)), now: Self.now)?.isSuccess == true)
    }

    @Test("one address (IPv6: one /64) gets at most --max-peers-per-ip peers in a swarm, whatever its ports; others are unaffected")
    func maxPeersPerClient() {
        let limit = 8
        let store = MemorySwarmStore(shardCount: 4, limits: SwarmLimits(maxTorrents: 100, maxPeersPerClient: limit))
        let hash = Fixture.hash(1)
        for port in 1...limit {
            #expect(store.announceImmediately(Fixture.announce(hash, Fixture.v4(1, port: UInt16(port))), now: Self.now)?.isSuccess == true)
        }
        let refused = store.announceImmediately(Fixture.announce(hash, Fixture.v4(1, port: 999)), now: Self.now)
        #expect(refused?.failure == .tooManyPeersFromClient)
        #expect(StoreError.tooManyPeersFromClient.clientError.description == "too many peers from your address")
        #expect(store.announceImmediately(Fixture.announce(hash, Fixture.v4(1, port: 3)), now: Self.now)?.isSuccess == true, "a known peer still announces")
        #expect(store.announceImmediately(Fixture.announce(hash, Fixture.v4(2, port: 999)), now: Self.now)?.isSuccess == true, "another address joins")
        // A peer that leaves makes room.
        _ = store.announceImmediately(Fixture.announce(hash, Fixture.v4(1, port: 1), event: .stopped), now: Self.now)
        #expect(store.announceImmediately(Fixture.announce(hash, Fixture.v4(1, port: 999)), now: Self.now)?.isSuccess == true)
        // IPv6: the interface id changes, the /64 is the same client.
        for i in 1...UInt64(limit) {
            let endpoint = PeerEndpoint.v6(IPv6Endpoint(high: 0x2001_0DB8_0000_0005, low: i, port: 6881))
            #expect(store.announceImmediately(Fixture.announce(hash, endpoint), now: Self.now)?.isSuccess == true)
        }
        let rotated = PeerEndpoint.v6(IPv6Endpoint(high: 0x2001_0DB8_0000_0005, low: 0xFFFF, port: 6881))
        #expect(store.announceImmediately(Fixture.announce(hash, rotated), now: Self.now)?.failure == .tooManyPeersFromClient)
        let counts = store.announceImmediately(Fixture.announce(hash, Fixture.v4(3), numwant: 0), now: Self.now)
        #expect(counts.map { (try? $0.get())?.counts.peers } == limit + 1 + limit + 1, "refused announces added no one")
    }
}

extension Result {
    var isSuccess: Bool { if case .success = self { return true } else { return false } }
    var failure: Failure? { if case .failure(let e) = self { return e } else { return nil } }
}
