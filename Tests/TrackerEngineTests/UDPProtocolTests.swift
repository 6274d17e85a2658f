import NIOCore
import Testing
@testable import TrackerEngine

/// BEP 15 packets and BEP 41 options as bytes, the connection ids, and the responder over a
/// memory store (no sockets).
@Suite("UDP tracker protocol")
struct UDPProtocolTests {
    /// Requests are built with ByteBuffer's integer writers (the tracker only reads them).
    static func bytes(_ build: (inout ByteBuffer) -> Void) -> [UInt8] {
        var buffer = ByteBufferAllocator().buffer(capacity: 128)
        build(&buffer)
        return Array(buffer.readableBytesView)
    }

    static func connect(transaction: UInt32) -> [UInt8] {
        bytes { $0.writeInteger(UDPRequest.protocolID); $0.writeInteger(UInt32(0)); $0.writeInteger(transaction) }
    }

    static func announce(connectionID: UInt64, transaction: UInt32, hash: InfoHash, peer: UInt64, left: UInt64, event: UInt32 = 2,
                         numwant: Int32 = -1, port: UInt16 = 6881, options: [UInt8] = []) -> [UInt8] {
        bytes {
            $0.writeInteger(connectionID); $0.writeInteger(UInt32(1)); $0.writeInteger(transaction)
            $0.writeBytes(hash.raw.bytes); $0.writeBytes(Fixture.peerID(peer).raw.bytes)
            $0.writeInteger(UInt64(7)); $0.writeInteger(left); $0.writeInteger(UInt64(9))
            $0.writeInteger(event); $0.writeInteger(UInt32(0x0A00_0001)); $0.writeInteger(UInt32(0xBEEF))
            $0.writeInteger(UInt32(bitPattern: numwant)); $0.writeInteger(port)
            $0.writeBytes(options)
        }
    }

    static func parse(_ datagram: [UInt8]) -> UDPRequest? {
        datagram.withUnsafeBytes { UDPRequest.parse($0) }
    }

    @Test("connect, announce and scrape parse field by field; BEP 15's event numbers map to ours")
    func parses() throws {
        #expect(Self.parse(Self.connect(transaction: 0x1234)) == .connect(transactionID: 0x1234))
        let hash = Fixture.hash(1)
        guard case let .announce(id, tx, .success(a))? = Self.parse(Self.announce(connectionID: 99, transaction: 5, hash: hash, peer: 3, left: 0,
                                                                                  event: 1, numwant: 30, port: 51413)) else {
            Issue.record("not an announce"); return
        }
        #expect(id == 99 && tx == 5)
        #expect(a.query.infoHash == hash && a.query.peerID == Fixture.peerID(3) && a.query.port == 51413)
        #expect(a.query.downloaded == 7 && a.query.left == 0 && a.query.uploaded == 9)
        #expect(a.query.event == .completed, "BEP 15's 1 is completed")
        #expect(a.query.key == 0xBEEF && a.query.numwant == 30 && a.claimedIPv4 == 0x0A00_0001 && a.urlData.isEmpty)
        guard case .announce(_, _, .success(let defaulted))? = Self.parse(Self.announce(connectionID: 1, transaction: 1, hash: hash, peer: 3, left: 5)) else {
            Issue.record("not an announce"); return
        }
        #expect(defaulted.query.numwant == nil && defaulted.query.event == .started, "-1 is the default; 2 is started")

        let scrape = Self.bytes { b in
            b.writeInteger(UInt64(42)); b.writeInteger(UInt32(2)); b.writeInteger(UInt32(8))
            for n in 1...80 { b.writeBytes(Fixture.hash(UInt64(n)).raw.bytes) }
        }
        guard case let .scrape(id2, tx2, hashes)? = Self.parse(scrape) else { Issue.record("not a scrape"); return }
        #expect(id2 == 42 && tx2 == 8 && hashes.count == 74 && hashes.first == Fixture.hash(1), "more than 74 are cut to 74")
    }

    @Test("what is not a request gets no reply; bad fields of an announce are its failure")
    func refuses() {
        var wrongMagic = Self.connect(transaction: 1)
        wrongMagic[7] ^= 1
        #expect(Self.parse(wrongMagic) == nil)
        #expect(Self.parse(Array(Self.connect(transaction: 1).prefix(15))) == nil)
        var unknownAction = Self.connect(transaction: 1)
        unknownAction[11] = 9
        #expect(Self.parse(unknownAction) == nil)
        #expect(Self.parse(Array(Self.announce(connectionID: 1, transaction: 1, hash: Fixture.hash(1), peer: 1, left: 1).prefix(97))) == nil)
        let emptyScrape = Self.bytes { $0.writeInteger(UInt64(1)); $0.writeInteger(UInt32(2)); $0.writeInteger(UInt32(1)) }
        #expect(Self.parse(emptyScrape) == nil)
        guard case .announce(_, _, .failure(let port))? = Self.parse(Self.announce(connectionID: 1, transaction: 1, hash: Fixture.hash(1), peer: 1, left: 1, port: 0)),
              case .announce(_, _, .failure(let event))? = Self.parse(Self.announce(connectionID: 1, transaction: 1, hash: Fixture.hash(1), peer: 1, left: 1, event: 4))
        else { Issue.record("not parsed as failures"); return }
        #expect(port == .invalidPort && event == .invalidEvent)
    }

    @Test("BEP 41: URLData options are concatenated, NOPs skipped; malformed options end the list, never fail")
    func options() {
        func data(_ options: [UInt8]) -> [UInt8] { options.withUnsafeBytes { UDPOptions.urlData($0) } }
        #expect(data([2, 3, 0x2F, 0x61, 0x3F, 1, 2, 2, 0x78, 0x3D, 0]) == Array("/a?x=".utf8))
        #expect(data([2, 200, 0x2F]) == [], "a length past the end")
        #expect(data([2, 1, 0x2F, 9, 2, 1, 0x61]) == [0x2F], "an unknown type ends them")
        #expect(data([0, 2, 1, 0x2F]) == [])
        #expect(data([2]) == [])
        let datagram = Self.announce(connectionID: 1, transaction: 1, hash: Fixture.hash(1), peer: 1, left: 1, options: [2, 2, 0x2F, 0x6B])
        guard case .announce(_, _, .success(let a))? = Self.parse(datagram) else { Issue.record("not parsed"); return }
        #expect(a.urlData == Array("/k".utf8))
    }

    @Test("never crashes on truncated or random datagrams")
    func neverCrashes() {
        var rng = SystemRandomNumberGenerator()
        let real = Self.announce(connectionID: 1, transaction: 1, hash: Fixture.hash(1), peer: 1, left: 1, options: [2, 2, 0x2F, 0x6B, 1, 0])
        for length in 0...real.count { _ = Self.parse(Array(real.prefix(length))) }
        for _ in 0..<20_000 {
            var datagram = (0..<Int.random(in: 0...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if datagram.count >= 12, Bool.random(using: &rng) { datagram[11] = UInt8.random(in: 0...3, using: &rng); datagram[8...10] = [0, 0, 0] }
            _ = Self.parse(datagram)
        }
    }

    @Test("replies byte for byte: connect, announce, scrape, error")
    func writes() {
        #expect(UDPReply.connect(transactionID: 7, connectionID: 0x0102_0304_0506_0708).bytes == [0, 0, 0, 0, 0, 0, 0, 7, 1, 2, 3, 4, 5, 6, 7, 8])
        let peers: [UInt8] = [10, 0, 0, 2, 0x1A, 0xE1]
        #expect(UDPReply.announce(transactionID: 7, interval: 1800, counts: SwarmCounts(seeders: 2, leechers: 3), compactPeers: peers).bytes
                == [0, 0, 0, 1, 0, 0, 0, 7, 0, 0, 7, 8, 0, 0, 0, 3, 0, 0, 0, 2] + peers)
        let counts = [SwarmCounts(seeders: 0, leechers: 0, completed: 0), SwarmCounts(seeders: 4, leechers: 5, completed: 6)]
        #expect(UDPReply.scrape(transactionID: 7, counts: counts).bytes
                == [0, 0, 0, 2, 0, 0, 0, 7] + [UInt8](repeating: 0, count: 12) + [0, 0, 0, 4, 0, 0, 0, 6, 0, 0, 0, 5])
        #expect(UDPReply.error(transactionID: 7, message: "banned").bytes == [0, 0, 0, 3, 0, 0, 0, 7] + Array("banned".utf8))
        #expect(UDPReply.maxPeers(.ipv4) == 200 && UDPReply.maxPeers(.ipv6) == 74)
    }

    @Test("a reply never passes one datagram (1,472 bytes), however much it is given; counts beyond 32 bits are clamped")
    func replyBounds() {
        let flood = UDPReply.announce(transactionID: 1, interval: .max, counts: SwarmCounts(seeders: .max, leechers: 5),
                                      compactPeers: [UInt8](repeating: 9, count: 5000))
        let bytes = flood.bytes
        #expect(bytes.count == UDPReply.maxSize && Array(bytes[8..<12]) == [0xFF, 0xFF, 0xFF, 0xFF] && Array(bytes[16..<20]) == [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(UDPReply.error(transactionID: 1, message: String(repeating: "é", count: 3000)).bytes.count == UDPReply.maxSize)
        let scrape = UDPReply.scrape(transactionID: 1, counts: Array(repeating: SwarmCounts(seeders: 1, leechers: 1, completed: 1), count: 200))
        #expect(scrape.bytes.count == UDPReply.maxSize, "cut at one datagram (a request asks for 74 at most)")
    }

    @Test("connection ids: accepted in their window and the next, refused after, and from another address")
    func connectionIDs() {
        let ids = UDPConnectionIDs()
        let client = Fixture.v4(1, port: 5000), now = TrackerTime(seconds: 1_700_000_040)
        let id = ids.id(for: client, now: now)
        #expect(ids.isValid(id, from: client, now: now))
        #expect(ids.isValid(id, from: Fixture.v4(1, port: 6000), now: now), "the address counts, not the port")
        #expect(ids.isValid(id, from: client, now: now.adding(seconds: 120)), "at least two minutes")
        #expect(!ids.isValid(id, from: client, now: now.adding(seconds: 240)), "gone after two windows")
        #expect(!ids.isValid(id, from: Fixture.v4(2, port: 5000), now: now))
        #expect(!ids.isValid(id ^ 1, from: client, now: now))
        #expect(!UDPConnectionIDs().isValid(id, from: client, now: now), "another key makes other ids")
    }

    @Test("SipHash-2-4 gives the reference implementation's outputs (key 00…0f, message 00 01 … of each length)")
    func sipHashVectors() {
        let mac = SipHash24(key: Array(0..<16))
        let vectors: [Int: UInt64] = [
            0: 0x726F_DB47_DD0E_0E31, 1: 0x74F8_39C5_93DC_67FD, 7: 0xAB02_00F5_8B01_D137, 8: 0x93F5_F579_9A93_2462,
            12: 0x751E_8FBC_860E_E5FB, 15: 0xA129_CA61_49BE_45E5, 16: 0x3F2A_CC7F_57C2_9BDB, 24: 0xB8AD_50C6_F649_AF94,
            63: 0x958A_324C_EB06_4572,
        ]
        for (length, expected) in vectors {
            let message = (0..<length).map { UInt8($0) }
            #expect(message.withUnsafeBytes { mac.hash($0) } == expected, "\(length) bytes")
        }
    }
}
