import Testing
import TrackerTestSupport
@testable import TrackerEngine

/// Rack-first peer selection (`AnnounceRequest.rack`), on every backend.
@Suite("Rack conformance")
struct RackConformanceTests {
    let now = TrackerTime(seconds: 1_700_000_000)
    static func racks() -> Racks {
        Racks([RackDefinition(name: "r1", ranges: [AddressRange("10.0.1.0/24")!]), RackDefinition(name: "r2", ranges: [AddressRange("10.0.2.0/24")!])])
    }

    static func peer(_ rack: UInt32, _ host: UInt32) -> PeerEndpoint {
        .v4(IPv4Endpoint(address: 0x0A00_0000 | rack << 8 | host, port: 6881))
    }

    func announce(_ store: any SwarmStore, _ racks: Racks, _ hash: InfoHash, _ endpoint: PeerEndpoint, left: UInt64 = 10,
                  numwant: Int = 0, event: AnnounceEvent = .none) async throws -> AnnounceResult {
        var request = Fixture.announce(hash, endpoint, id: endpoint.v4Address, left: left, event: event, numwant: numwant)
        request.rack = racks.rack(of: endpoint)
        return try await store.announce(request, now: now)
    }

    @Test("an announcer in a rack gets its rack's peers first, then the others; a peer in no rack draws from all; leaving leaves the rack",
          arguments: StoreBackend.allCases)
    func rackFirst(backend: StoreBackend) async throws {
        let racks = Self.racks()
        let store = try backend.makeStore(racks: racks)
        let h = Fixture.hash(91)
        // 15 peers in r1 (5 of them seeders), 15 in r2, 10 in no rack.
        for host in 1...15 { _ = try await announce(store, racks, h, Self.peer(1, UInt32(host)), left: host <= 5 ? 0 : 10) }
        for host in 1...15 { _ = try await announce(store, racks, h, Self.peer(2, UInt32(host))) }
        for host in 1...10 { _ = try await announce(store, racks, h, Self.peer(3, UInt32(host))) }
        let me = Self.peer(1, 200)
        func ranks(_ result: AnnounceResult) -> [UInt32] {
            result.peers(family: .ipv4).map { peer in if case .v4(let e) = peer { return e.address >> 8 & 0xFF } else { return 0 } }
        }

        var result = try await announce(store, racks, h, me, numwant: 10)
        #expect(result.counts.peers == 41)
        #expect(ranks(result).count == 10 && ranks(result).allSatisfy { $0 == 1 }, "ten wanted, fifteen in its rack: only rack r1 \(ranks(result))")
        result = try await announce(store, racks, h, me, numwant: 25)
        #expect(ranks(result).filter { $0 == 1 }.count == 15 && ranks(result).count == 25, "the whole rack, then ten others: \(ranks(result))")
        #expect(Set(result.peers(family: .ipv4)).count == 25 && !result.peers(family: .ipv4).contains(me))

        let seeder = try await announce(store, racks, h, Self.peer(2, 100), left: 0, numwant: 10)
        #expect(ranks(seeder).allSatisfy { $0 == 2 }, "a seeder in r2: r2's leechers \(ranks(seeder))")
        let unracked = try await announce(store, racks, h, Self.peer(3, 100), numwant: 50)
        #expect(ranks(unracked).count == 42, "a peer in no rack draws from everyone else")

        for host in 1...15 { _ = try await announce(store, racks, h, Self.peer(1, UInt32(host)), event: .stopped) }
        result = try await announce(store, racks, h, me, numwant: 10)
        #expect(ranks(result).count == 10 && !ranks(result).contains(1), "r1 left: its peers are not handed out \(ranks(result))")
        #expect(result.counts.peers == 28)
    }

    @Test("kicked, expired and purged peers leave their rack too: never handed out afterwards", arguments: StoreBackend.allCases)
    func rackUpkeep(backend: StoreBackend) async throws {
        let racks = Self.racks()
        let store = try backend.makeStore(peerTimeout: 100, racks: racks)
        let h = Fixture.hash(93)
        for host in 1...3 { _ = try await announce(store, racks, h, Self.peer(1, UInt32(host))) }
        #expect(try await store.remove(peer: Self.peer(1, 1), from: h))
        var result = try await announce(store, racks, h, Self.peer(1, 50), numwant: 10)
        #expect(Set(result.peers(family: .ipv4)) == [Self.peer(1, 2), Self.peer(1, 3)], "the kicked peer is gone from its rack")

        _ = try await store.expire(now: now.adding(seconds: 101))
        var late = Fixture.announce(h, Self.peer(1, 60), id: 60, numwant: 10)
        late.rack = racks.rack(of: late.endpoint)
        result = try await store.announce(late, now: now.adding(seconds: 102))
        #expect(result.peers(family: .ipv4).isEmpty, "expired peers are gone from their rack: \(result.peers(family: .ipv4))")

        #expect(try await store.purge(h))
        // Later than the Redis sampler keeps a read (2 s): what is asked of Redis, not what a lane remembers.
        var after = Fixture.announce(h, Self.peer(1, 70), id: 70, numwant: 10)
        after.rack = racks.rack(of: after.endpoint)
        result = try await store.announce(after, now: now.adding(seconds: 110))
        #expect(result.peers(family: .ipv4).isEmpty && result.counts.peers == 1, "purged with its racks")
    }

    @Test("racks shared through Redis come back whole; a racks file's lines are checked one by one")
    func sharedAndParsed() async throws {
        let store = RedisSwarmStore(endpoint: TestRedis.shared.endpoint, prefix: TestRedis.uniquePrefix(), threads: 1)
        defer { store.shutdown() }
        let racks = [RackDefinition(name: "r1", ranges: [AddressRange("10.0.1.0/24")!, AddressRange("2001:db8:1::/48")!]),
                     RackDefinition(name: "r-2.b_c", ranges: [AddressRange("10.0.2.7")!])]
        try await store.publishRacks(racks)
        #expect(try await store.sharedRacks() == racks)
        let (parsed, problems) = RackDefinition.parse(file: Array("r1 10.0.0.0/8\n# c\nbad name 10.0.0.0/8\nr1 nonsense\nr1 10.9.0.0/16 # more\n\n".utf8))
        #expect(parsed == [RackDefinition(name: "r1", ranges: [AddressRange("10.0.0.0/8")!, AddressRange("10.9.0.0/16")!])])
        #expect(problems.map(\.line) == [3, 4])
        #expect(throws: RackError.self) { try RackDefinition(option: "r1=10.0.0.0/33") }
        #expect(throws: RackError.self) { try RackDefinition(option: "r{1}=10.0.0.0/8") }
        #expect(Racks(racks).rack(of: PeerAddress("10.0.2.7")!) == 2 && Racks(racks).rack(of: PeerAddress("10.0.3.7")!) == 0)
        let nested = Racks([RackDefinition(name: "wide", ranges: [AddressRange("10.0.0.0/8")!]), RackDefinition(name: "narrow", ranges: [AddressRange("10.1.0.0/16")!])])
        #expect(nested.name(of: nested.rack(of: PeerAddress("10.1.2.3")!)) == "narrow", "the most specific range wins")
        #expect(nested.name(of: nested.rack(of: PeerAddress("10.2.2.3")!)) == "wide")
    }

    @Test("a peer whose rack changed (racks redefined) moves with its record: counted once, drawn for its new rack", arguments: StoreBackend.allCases)
    func rackChange(backend: StoreBackend) async throws {
        let racks = Self.racks()
        let store = try backend.makeStore(racks: racks)
        let h = Fixture.hash(92)
        for host in 1...5 { _ = try await announce(store, racks, h, Self.peer(1, UInt32(host))) }
        for host in 1...5 { _ = try await announce(store, racks, h, Self.peer(2, UInt32(host))) }
        try racks.replace(with: [RackDefinition(name: "r2", ranges: [AddressRange("10.0.0.0/16")!])])  // everyone in r2 now
        var result = try await announce(store, racks, h, Self.peer(1, 1), numwant: 20)
        #expect(result.counts.peers == 10, "moved, not duplicated")
        for host in 2...5 { _ = try await announce(store, racks, h, Self.peer(1, UInt32(host))) }
        result = try await announce(store, racks, h, Self.peer(2, 1), numwant: 9)
        #expect(result.peers(family: .ipv4).count == 9 && result.counts.peers == 10)
    }
}

extension PeerEndpoint {
    /// A peer id for a test peer: its IPv4 address's last 16 bits.
    fileprivate var v4Address: UInt64 {
        if case .v4(let e) = self { return UInt64(e.address & 0xFFFF) }
        return 0
    }
}
