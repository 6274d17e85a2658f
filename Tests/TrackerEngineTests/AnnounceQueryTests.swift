import Testing
@testable import TrackerEngine

@Suite("Announce query parsing")
struct AnnounceQueryTests {
    /// 20 bytes that exercise escapes, a literal '+', and unescaped high bytes.
    static let hashBytes: [UInt8] = [0x12, 0x34, 0x2B, 0x20, 0xFF, 0x00, 0x41, 0x42, 0x43, 0x25,
                                     0x26, 0x3D, 0x3F, 0x7E, 0x80, 0x9A, 0x61, 0x62, 0x63, 0x64]
    static let hash = InfoHash(bytes: hashBytes)!
    static let peer = "-qB4520-abcdefghijkl"

    static func parse(_ query: String) throws(ClientError) -> AnnounceQuery {
        try AnnounceQuery.parse(Array(query.utf8))
    }

    static let base = "info_hash=\(Fixture.percentEncoded(hashBytes))&peer_id=\(peer)&port=6881"

    @Test("reads every standard parameter")
    func readsEverything() throws {
        let q = try Self.parse(Self.base + "&uploaded=10&downloaded=20&left=30&event=started&numwant=12&compact=0&no_peer_id=1&key=abc&trackerid=x&corrupt=0")
        #expect(q.infoHash == Self.hash)
        #expect(q.peerID == PeerID(bytes: Array(Self.peer.utf8)))
        #expect(q.port == 6881)
        #expect((q.uploaded, q.downloaded, q.left) == (10, 20, 30))
        #expect(q.event == .started)
        #expect(q.numwant == 12)
        #expect(q.compact == false)
        #expect(q.noPeerID == true)
        #expect(q.key != nil)
    }

    @Test("defaults: compact, no event, no numwant, left unknown")
    func defaults() throws {
        let q = try Self.parse(Self.base)
        #expect(q.compact)
        #expect(q.event == .none)
        #expect(q.numwant == nil)
        #expect(q.left == nil)
        #expect(q.uploaded == 0)
        #expect(!q.noPeerID)
    }

    @Test("decodes mixed raw and escaped bytes; '+' is a literal plus, not a space")
    func mixedEscapes() throws {
        // Raw ASCII letters mixed with escapes, and a raw '+' (0x2B) left unescaped.
        var bytes = Array("info_hash=".utf8)
        bytes += Array("%124+%20%FF%00ABC%25%26%3D%3F~%80%9Aabcd".utf8)
        bytes += Array("&peer_id=\(Self.peer)&port=1".utf8)
        let q = try AnnounceQuery.parse(bytes)
        #expect(q.infoHash == Self.hash)
    }

    @Test("accepts unescaped high bytes (some clients send them raw)")
    func rawHighBytes() throws {
        var bytes = Array("info_hash=".utf8) + Self.hashBytes.map { $0 == 0x26 || $0 == 0x25 || $0 == 0x3D ? 0x2E : $0 }
        bytes += Array("&peer_id=\(Self.peer)&port=1".utf8)
        let q = try AnnounceQuery.parse(bytes)
        #expect(q.infoHash.bytes.count == 20)
        #expect(q.infoHash.bytes[4] == 0xFF)
    }

    @Test("reads each event", arguments: [
        ("started", AnnounceEvent.started), ("completed", .completed), ("stopped", .stopped),
        ("paused", .paused), ("", .none), ("empty", .none),
    ])
    func events(text: String, event: AnnounceEvent) throws {
        #expect(try Self.parse(Self.base + "&event=\(text)").event == event)
    }

    @Test("negative numwant means the default")
    func negativeNumwant() throws {
        #expect(try Self.parse(Self.base + "&numwant=-1").numwant == nil)
    }

    static let invalidCases: [(String, ClientError)] = {
        let h = Fixture.percentEncoded(hashBytes)
        let peer = Self.peer
        let base = Self.base
        var cases: [(String, ClientError)] = []
        cases.append(("peer_id=\(peer)&port=1", .missingParameter("info_hash")))
        cases.append(("info_hash=\(h)&port=1", .missingParameter("peer_id")))
        cases.append(("info_hash=\(h)&peer_id=\(peer)", .missingParameter("port")))
        cases.append((base.replacingOccurrences(of: "port=6881", with: "port=0"), .invalidPort))
        cases.append((base.replacingOccurrences(of: "port=6881", with: "port=65536"), .invalidPort))
        cases.append((base.replacingOccurrences(of: "port=6881", with: "port=99999999999999999999999"), .invalidNumber("port")))
        cases.append((base.replacingOccurrences(of: "port=6881", with: "port=68a1"), .invalidNumber("port")))
        cases.append((base.replacingOccurrences(of: "port=6881", with: "port="), .invalidNumber("port")))
        cases.append((base.replacingOccurrences(of: "port=6881", with: "port=-5"), .invalidNumber("port")))
        cases.append(("info_hash=abc&peer_id=\(peer)&port=1", .invalidLength("info_hash", expected: 20, got: 3)))
        cases.append(("info_hash=\(h)00&peer_id=\(peer)&port=1", .invalidLength("info_hash", expected: 20, got: 22)))
        cases.append(("info_hash=\(h)&peer_id=short&port=1", .invalidLength("peer_id", expected: 20, got: 5)))
        cases.append(("info_hash=%1&peer_id=\(peer)&port=1", .invalidPercentEncoding("info_hash")))
        cases.append(("info_hash=%GG345678901234567890&peer_id=\(peer)&port=1", .invalidPercentEncoding("info_hash")))
        cases.append((base + "&info_hash=\(h)", .duplicateParameter("info_hash")))
        cases.append((base + "&uploaded=1x", .invalidNumber("uploaded")))
        cases.append((base + "&downloaded=-1", .invalidNumber("downloaded")))
        cases.append((base + "&left=%", .invalidPercentEncoding("left")))
        cases.append((base + "&numwant=ten", .invalidNumber("numwant")))
        cases.append((base + "&event=finished", .invalidEvent))
        cases.append((base + "&key=%zz", .invalidPercentEncoding("key")))
        return cases
    }()

    @Test("refuses invalid input with a reason naming the problem", arguments: invalidCases
)
    func refusesInvalid(query: String, expected: ClientError) {
        #expect(throws: expected) { try Self.parse(query) }
    }

    @Test("failure reasons are readable sentences")
    func reasonsAreReadable() {
        #expect(ClientError.invalidLength("info_hash", expected: 20, got: 3).description == "invalid info_hash: expected 20 bytes, got 3")
        #expect(ClientError.invalidPort.description == "invalid port: must be 1-65535")
        #expect(ClientError.storageUnavailable.description == "tracker storage unavailable, retry later")
    }

    @Test("never crashes on truncated or random queries")
    func sweep() {
        let valid = Array((Self.base + "&uploaded=1&downloaded=2&left=3&event=completed&numwant=5&key=k%41").utf8)
        var parsed = 0
        for length in 0...valid.count {
            if (try? AnnounceQuery.parse(valid.prefix(length))) != nil { parsed += 1 }
        }
        #expect(parsed > 0, "some prefixes are complete announces")
        var rng = SplitMix(seed: 42)
        let pieces = ["info_hash=", "peer_id=", "port=", "&", "=", "%", "%4", "%41", "%zz", "+", "numwant=-", "9", "event=",
                      "left=", "\u{0}", "\u{FF}", Fixture.percentEncoded(Self.hashBytes), Self.peer]
        var outcomes = (ok: 0, refused: 0)
        for _ in 0..<20_000 {
            let count = Int(rng.next() % 12)
            let text = (0..<count).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            do {
                _ = try AnnounceQuery.parse(Array(text.utf8))
                outcomes.ok += 1
            } catch {
                #expect(!error.description.isEmpty)
                outcomes.refused += 1
            }
        }
        #expect(outcomes.refused > 0)
        // Random bytes, including every byte value.
        for _ in 0..<5_000 {
            let bytes = (0..<Int(rng.next() % 200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            _ = try? AnnounceQuery.parse(bytes)
            _ = try? ScrapeQuery.parse(bytes, maxHashes: 64)
        }
    }
}

@Suite("Scrape query parsing")
struct ScrapeQueryTests {
    @Test("no info_hash means a full scrape")
    func fullScrape() throws {
        #expect(try ScrapeQuery.parse(Array("".utf8), maxHashes: 64).isFullScrape)
        #expect(try ScrapeQuery.parse(Array("passkey=1".utf8), maxHashes: 64).isFullScrape)
    }

    @Test("reads several info_hash (BEP 48) and answers repeats once")
    func severalHashes() throws {
        let a = Fixture.hash(1), b = Fixture.hash(2)
        let q = try ScrapeQuery.parse(Array("info_hash=\(Fixture.percentEncoded(a.bytes))&info_hash=\(Fixture.percentEncoded(b.bytes))&info_hash=\(Fixture.percentEncoded(a.bytes))".utf8), maxHashes: 64)
        #expect(q.infoHashes == [a, b])
    }

    @Test("refuses more than the limit and bad hashes")
    func refuses() {
        let query = (UInt64(1)...3).map { "info_hash=\(Fixture.percentEncoded(Fixture.hash($0).bytes))" }.joined(separator: "&")
        #expect(throws: ClientError.tooManyInfoHashes(max: 2)) { try ScrapeQuery.parse(Array(query.utf8), maxHashes: 2) }
        #expect(throws: ClientError.invalidLength("info_hash", expected: 20, got: 2)) { try ScrapeQuery.parse(Array("info_hash=ab".utf8), maxHashes: 2) }
    }
}

import Foundation
