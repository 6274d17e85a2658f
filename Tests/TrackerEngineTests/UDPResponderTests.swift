import Testing
@testable import TrackerEngine
import TrackerTestSupport

/// The UDP responder over a memory store: what each datagram gets back, or silence.
@Suite("UDP responder")
struct UDPResponderTests {
    let access = AccessControl()
    let clock = ManualClock()
    var responder: UDPResponder {
        UDPResponder(logic: TrackerLogic(store: MemorySwarmStore(shardCount: 4), clock: clock, access: access))
    }

    /// One datagram's reply, nil for silence.
    static func send(_ datagram: [UInt8], from source: PeerEndpoint, to responder: UDPResponder) -> [UInt8]? {
        let outcome = datagram.withUnsafeBytes { responder.respond(to: $0, from: source) }
        switch outcome {
        case .reply(let reply): return reply.bytes
        case .ignored: return nil
        case .pending: Issue.record("the memory store answers at once"); return nil
        }
    }

    static func silence(_ outcome: UDPResponder.Outcome) -> UDPResponder.Silence? {
        if case .ignored(let why) = outcome { return why }
        return nil
    }

    static func connectionID(_ source: PeerEndpoint, _ responder: UDPResponder) throws -> UInt64 {
        let reply = try #require(send(UDPProtocolTests.connect(transaction: 77), from: source, to: responder))
        #expect(reply.count == 16 && Array(reply[0..<8]) == [0, 0, 0, 0, 0, 0, 0, 77])
        return reply[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
    }

    @Test("connect then announce: counts, peers of the announcer's family only, never itself; IPv6 gets 18-byte peers")
    func announces() throws {
        let responder = self.responder, hash = Fixture.hash(1)
        for n in 1...3 {
            let source = Fixture.v4(UInt8(n), port: 40000)
            let id = try Self.connectionID(source, responder)
            _ = Self.send(UDPProtocolTests.announce(connectionID: id, transaction: 1, hash: hash, peer: UInt64(n), left: n == 1 ? 0 : 10,
                                                    port: UInt16(7000 + n)), from: source, to: responder)
        }
        let me = Fixture.v4(4, port: 40000)
        let id = try Self.connectionID(me, responder)
        let reply = try #require(Self.send(UDPProtocolTests.announce(connectionID: id, transaction: 9, hash: hash, peer: 4, left: 10, port: 7004),
                                           from: me, to: responder))
        #expect(Array(reply[0..<8]) == [0, 0, 0, 1, 0, 0, 0, 9])
        #expect(Array(reply[12..<20]) == [0, 0, 0, 3, 0, 0, 0, 1], "leechers 3 (with the announcer), seeders 1")
        let peers = stride(from: 20, to: reply.count, by: 6).map { Array(reply[$0..<$0 + 6]) }
        #expect(peers.count == 3 && !peers.contains(Fixture.v4(4, port: 7004).compact))
        #expect(peers.contains(Fixture.v4(1, port: 7001).compact), "the announced port, not the datagram's")

        let six = Fixture.v6(9, port: 40000)
        let sixID = try Self.connectionID(six, responder)
        let v6Reply = try #require(Self.send(UDPProtocolTests.announce(connectionID: sixID, transaction: 2, hash: hash, peer: 9, left: 10),
                                             from: six, to: responder))
        #expect(v6Reply.count == 20, "no IPv4 peers for an IPv6 announcer, and none of its own family yet")
        let other6 = Fixture.v6(10, port: 40000)
        let otherID = try Self.connectionID(other6, responder)
        let second = try #require(Self.send(UDPProtocolTests.announce(connectionID: otherID, transaction: 3, hash: hash, peer: 10, left: 10),
                                            from: other6, to: responder))
        #expect(second.count == 20 + 18 && Array(second[20..<38]) == Fixture.v6(9, port: 6881).compact)
    }

    @Test("num_want -1 is the tracker's default, not the datagram's cap; a larger one is capped to fit the datagram")
    func numwant() throws {
        let logic = TrackerLogic(store: MemorySwarmStore(shardCount: 4), policy: AnnouncePolicy(numwantDefault: 2, numwantMax: 500), clock: clock)
        let responder = UDPResponder(logic: logic), hash = Fixture.hash(9)
        for n in 1...4 {
            let source = Fixture.v4(UInt8(n), port: 40000)
            _ = Self.send(UDPProtocolTests.announce(connectionID: try Self.connectionID(source, responder), transaction: 1, hash: hash,
                                                    peer: UInt64(n), left: 10, port: UInt16(7000 + n)), from: source, to: responder)
        }
        let me = Fixture.v4(5, port: 40000)
        let id = try Self.connectionID(me, responder)
        let defaulted = try #require(Self.send(UDPProtocolTests.announce(connectionID: id, transaction: 2, hash: hash, peer: 5, left: 10, numwant: -1),
                                               from: me, to: responder))
        #expect(defaulted.count == 20 + 2 * 6, "the default of 2 peers, though 4 are there")
        let asked = try #require(Self.send(UDPProtocolTests.announce(connectionID: id, transaction: 3, hash: hash, peer: 5, left: 10, numwant: 3),
                                           from: me, to: responder))
        #expect(asked.count == 20 + 3 * 6)

        // 250 IPv4 peers: asking for 500 (the policy allows it) still gets one datagram's worth.
        for n in 6...255 {
            let source = Fixture.v4(UInt8(n), port: 40000)
            _ = Self.send(UDPProtocolTests.announce(connectionID: try Self.connectionID(source, responder), transaction: 1, hash: hash,
                                                    peer: UInt64(n), left: 10, port: 7000), from: source, to: responder)
        }
        let many = try #require(Self.send(UDPProtocolTests.announce(connectionID: id, transaction: 4, hash: hash, peer: 5, left: 10, numwant: 500),
                                          from: me, to: responder))
        #expect(many.count == 20 + 200 * 6, "200 IPv4 peers at most")
    }

    @Test("forged or expired connection ids get silence; so does anything not a request")
    func silence() throws {
        let responder = self.responder, source = Fixture.v4(1)
        let announce = UDPProtocolTests.announce(connectionID: 12345, transaction: 1, hash: Fixture.hash(1), peer: 1, left: 1)
        announce.withUnsafeBytes { bytes in
            #expect(Self.silence(responder.respond(to: bytes, from: source)) == .badConnectionID, "a forged id")
        }
        let id = try Self.connectionID(source, responder)
        clock.advance(seconds: 300)
        UDPProtocolTests.announce(connectionID: id, transaction: 1, hash: Fixture.hash(1), peer: 1, left: 1).withUnsafeBytes { bytes in
            #expect(Self.silence(responder.respond(to: bytes, from: source)) == .badConnectionID, "an expired id")
        }
        [UInt8](repeating: 0, count: 15).withUnsafeBytes { bytes in
            #expect(Self.silence(responder.respond(to: bytes, from: source)) == .malformed, "junk")
        }
        #expect(responder.stats.count(.udpIgnored) == 3 && responder.stats.count(.udpConnect) == 1)
        #expect(responder.stats.count(.udpAnnounce) == 0 && responder.stats.count(.announce) == 0, "ignored announces are not counted as announces")
    }

    @Test("failures are action 3 with HTTP's reasons: blacklisted, banned, port 0")
    func errors() throws {
        let responder = self.responder, source = Fixture.v4(1), hash = Fixture.hash(5)
        let id = try Self.connectionID(source, responder)
        func reason(_ datagram: [UInt8]) throws -> String {
            let reply = try #require(Self.send(datagram, from: source, to: responder))
            #expect(Array(reply[0..<4]) == [0, 0, 0, 3])
            return String(decoding: reply[8...], as: UTF8.self)
        }
        #expect(try reason(UDPProtocolTests.announce(connectionID: id, transaction: 1, hash: hash, peer: 1, left: 1, port: 0)) == "invalid port: must be 1-65535")
        access.replace(with: ModerationState(blacklist: [hash]))
        #expect(try reason(UDPProtocolTests.announce(connectionID: id, transaction: 1, hash: hash, peer: 1, left: 1)) == "torrent is blacklisted")
        access.replace(with: ModerationState(bans: [AddressRange.banning(PeerAddress(source)): TrackerTime.distantFuture]))
        #expect(try reason(UDPProtocolTests.announce(connectionID: id, transaction: 1, hash: Fixture.hash(6), peer: 1, left: 1)) == "banned")
        #expect(responder.stats.count(.udpAnnounce) == 3 && responder.stats.count(.announce) == 3, "UDP announces count in the totals too")
        #expect(responder.stats.failures(.invalidPort) == 1 && responder.stats.failures(.torrentBlacklisted) == 1
                && responder.stats.failures(.banned) == 1)
        #expect(responder.stats.requests() == ProtocolCounts(udp: RequestCounts(announces: 3, failures: 3)), "all three are UDP's, none HTTP's")
        #expect(responder.stats.count(.udpAnnounceRefused) == 3 && responder.stats.count(.announceRefused) == 0, "refused announces, UDP's")
    }

    @Test("scrape: seeders, completed, leechers per hash in the order asked, zeros for unknown ones")
    func scrapes() throws {
        let responder = self.responder, source = Fixture.v4(1)
        let id = try Self.connectionID(source, responder)
        _ = Self.send(UDPProtocolTests.announce(connectionID: id, transaction: 1, hash: Fixture.hash(2), peer: 1, left: 0), from: source, to: responder)
        let scrape = UDPProtocolTests.bytes { b in
            b.writeInteger(id); b.writeInteger(UInt32(2)); b.writeInteger(UInt32(4))
            b.writeBytes(Fixture.hash(1).raw.bytes); b.writeBytes(Fixture.hash(2).raw.bytes)
        }
        let reply = try #require(Self.send(scrape, from: source, to: responder))
        #expect(reply == [0, 0, 0, 2, 0, 0, 0, 4] + [UInt8](repeating: 0, count: 12) + [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test("a store that answers later: announce and scrape replies arrive through start; a banned scrape is refused at once")
    func pendingReplies() async throws {
        let store = DelayedStore(), access = AccessControl()
        let responder = UDPResponder(logic: TrackerLogic(store: store, clock: clock, access: access))
        let source = Fixture.v4(1), lane = responder.logic.makeLane()
        let id = try Self.connectionID(source, responder)
        func later(_ datagram: [UInt8]) async throws -> [UInt8] {
            guard case .pending(let pending) = datagram.withUnsafeBytes({ responder.respond(to: $0, from: source) }) else {
                throw TestSetupError("a delayed store must give a pending reply")
            }
            return await withCheckedContinuation { continuation in
                responder.start(pending, lane: lane) { continuation.resume(returning: $0.bytes) }
            }
        }
        let announced = try await later(UDPProtocolTests.announce(connectionID: id, transaction: 9, hash: Fixture.hash(3), peer: 1, left: 0))
        #expect(Array(announced[0..<8]) == [0, 0, 0, 1, 0, 0, 0, 9] && Array(announced[12..<20]) == [0, 0, 0, 0, 0, 0, 0, 1], "one seeder")
        let scrape = UDPProtocolTests.bytes { b in
            b.writeInteger(id); b.writeInteger(UInt32(2)); b.writeInteger(UInt32(10)); b.writeBytes(Fixture.hash(3).raw.bytes)
        }
        #expect(try await later(scrape) == [0, 0, 0, 2, 0, 0, 0, 10, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0])
        access.replace(with: ModerationState(bans: [AddressRange.banning(PeerAddress(source)): TrackerTime.distantFuture]))
        let refused = try #require(Self.send(scrape, from: source, to: responder), "refused before the store is asked")
        #expect(Array(refused[0..<4]) == [0, 0, 0, 3] && String(decoding: refused[8...], as: UTF8.self) == "banned")
    }
}
