import NIOCore
import Synchronization
import Testing
@testable import TrackerEngine
import TrackerTestSupport

/// What the tracker answers to each request, without any transport.
@Suite("HTTP responder")
struct HTTPResponderTests {
    struct Harness {
        let stats = TrackerStats()
        let responder: HTTPResponder
        let remote: PeerEndpoint

        init(store: any SwarmStore = MemorySwarmStore(shardCount: 4), remote: PeerEndpoint = .v4(IPv4Endpoint(address: 0xC000_0207, port: 40000)),
             fullScrape: Bool = true, catalog: TorrentCatalog? = nil) {
            let logic = TrackerLogic(store: store, policy: AnnouncePolicy(interval: 1800, minInterval: 300, intervalJitter: 0),
                                     clock: ManualClock(), fullScrapeEnabled: fullScrape, fullScrapeInterval: 60)
            responder = HTTPResponder(logic: logic, stats: stats, catalog: catalog)
            self.remote = remote
        }

        func part(_ text: String) -> HTTPRequestPart {
            var buffer = ByteBuffer(string: text)
            return HTTPRequestDecoder().decodeOne(&buffer)!
        }

        /// The reply's head and body, for a reply that is ready at once.
        func get(_ target: String, headers: String = "") throws -> (head: String, body: [UInt8], keepAlive: Bool) {
            guard case .reply(let reply) = responder.respond(to: part("GET \(target) HTTP/1.1\r\nHost: t\r\n\(headers)\r\n"), from: remote) else {
                throw ResponderTestError.notImmediate
            }
            return split(reply)
        }

        func split(_ reply: HTTPResponder.Reply) -> (head: String, body: [UInt8], keepAlive: Bool) {
            let bytes = Array(reply.bytes.readableBytesView)
            let end = bytes.firstRange(of: Array("\r\n\r\n".utf8))!
            return (String(decoding: bytes[..<end.lowerBound], as: UTF8.self), Array(bytes[end.upperBound...]), reply.keepAlive)
        }
    }

    enum ResponderTestError: Error { case notImmediate }

    static let hash = Fixture.hash(77)
    static func announceTarget(port: Int = 6881, left: Int = 0, extra: String = "") -> String {
        "/announce?info_hash=\(Fixture.percentEncoded(hash.bytes))&peer_id=-TR3000-000000000001&port=\(port)&left=\(left)\(extra)"
    }

    @Test("an announce is answered with counts, interval and BEP 24 external ip")
    func announce() throws {
        let h = Harness()
        let (head, body, keepAlive) = try h.get(Self.announceTarget())
        #expect(head.hasPrefix("HTTP/1.1 200 OK"))
        #expect(head.contains("Content-Length: \(body.count)"))
        #expect(keepAlive)
        let reply = try BencodeValue.decode(body)
        #expect(reply["complete"]?.integer == 1)
        #expect(reply["interval"]?.integer == 1800)
        #expect(reply["min interval"]?.integer == 300)
        #expect(reply["external ip"]?.bytes == [192, 0, 2, 7])
        #expect(h.stats.count(.announce) == 1)
    }

    @Test("the peer address is the connection's; the port is the query's")
    func peerAddress() throws {
        let h = Harness()
        _ = try h.get(Self.announceTarget(port: 51413, left: 0))
        let peers = try BencodeValue.decode(try h.get(Self.announceTarget(port: 6000, left: 9)).body)["peers"]?.bytes
        #expect(peers == [192, 0, 2, 7, 0xC8, 0xD5])
    }

    @Test("announce and scrape are served under a prefix path")
    func prefixedPaths() throws {
        let h = Harness()
        #expect(try BencodeValue.decode(try h.get("/tracker" + Self.announceTarget()).body)["complete"]?.integer == 1)
        let scrape = try BencodeValue.decode(try h.get("/tracker/scrape?info_hash=\(Fixture.percentEncoded(Self.hash.bytes))").body)
        #expect(scrape["files"]?.dictionary?[Self.hash.bytes]?["complete"]?.integer == 1)
    }

    @Test("a scrape names the torrents the catalog knows (BEP 48 `name`), in both scrapes; others have no name")
    func scrapeNames() async throws {
        let catalog = TorrentCatalog()
        catalog.replace(with: [CatalogEntry(metainfo: TorrentMetainfo(v1: Self.hash, v2: nil, name: "débian.iso", totalLength: 5, fileCount: 1,
                                                                      pieceLength: 16384, isPrivate: false), path: "/t/d.torrent")])
        let h = Harness(catalog: catalog)
        _ = try h.get(Self.announceTarget())
        let other = Fixture.hash(99)
        _ = try h.get("/announce?info_hash=\(Fixture.percentEncoded(other.bytes))&peer_id=-TR3000-000000000009&port=7000&left=5")
        let scrape = try BencodeValue.decode(try h.get("/scrape?info_hash=\(Fixture.percentEncoded(Self.hash.bytes))&info_hash=\(Fixture.percentEncoded(other.bytes))").body)
        let files = try #require(scrape["files"]?.dictionary)
        #expect(files[Self.hash.bytes]?["name"]?.text == "débian.iso")
        #expect(files[other.bytes]?["name"] == nil && files[other.bytes]?["incomplete"]?.integer == 1)

        guard case .pending(let pending) = h.responder.respond(to: h.part("GET /scrape HTTP/1.1\r\n\r\n"), from: h.remote) else {
            Issue.record("a full scrape is built off the caller's thread")
            return
        }
        let reply = await withCheckedContinuation { continuation in h.responder.start(pending, lane: h.responder.logic.makeLane()) { continuation.resume(returning: $0) } }
        let full = try #require(try BencodeValue.decode(h.split(reply).body)["files"]?.dictionary)
        #expect(full[Self.hash.bytes]?["name"]?.text == "débian.iso" && full.count == 2)
    }

    @Test("invalid announces and scrapes get HTTP 200 with a failure reason and are counted by reason and as refused")
    func invalidAnnounce() throws {
        let h = Harness()
        let (head, body, _) = try h.get("/announce?info_hash=short&peer_id=-TR3000-000000000001&port=1")
        #expect(head.hasPrefix("HTTP/1.1 200 OK"))
        #expect(try BencodeValue.decode(body)["failure reason"]?.text == "invalid info_hash: expected 20 bytes, got 5")
        #expect(h.stats.count(.failure) == 1)
        #expect(h.stats.failures(.invalidLength) == 1)
        #expect(h.stats.count(.announce) == 1 && h.stats.count(.announceRefused) == 1, "an announce answered with a refusal")
        _ = try h.get("/scrape?info_hash=short")
        #expect(h.stats.count(.scrape) == 1 && h.stats.count(.scrapeRefused) == 1 && h.stats.count(.announceRefused) == 1)
        #expect(h.stats.count(.udpAnnounceRefused) == 0 && h.stats.count(.udpScrapeRefused) == 0)
    }

    @Test("other paths are 404, other methods 405, / is a short page, malformed is 400 and closes")
    func otherRoutes() throws {
        let h = Harness()
        #expect(try h.get("/favicon.ico").head.hasPrefix("HTTP/1.1 404"))
        guard case .reply(let delete) = h.responder.respond(to: h.part("DELETE /announce HTTP/1.1\r\n\r\n"), from: h.remote) else {
            Issue.record("DELETE should be answered at once")
            return
        }
        #expect(h.split(delete).head.hasPrefix("HTTP/1.1 405"))
        #expect(String(decoding: try h.get("/").body, as: UTF8.self).contains("announce"))
        guard case .reply(let bad) = h.responder.respond(to: .malformed(.badRequest), from: h.remote) else {
            Issue.record("a malformed request should be answered at once")
            return
        }
        #expect(h.split(bad).head.hasPrefix("HTTP/1.1 400"))
        #expect(!bad.keepAlive)
        #expect(h.stats.count(.badHTTPRequest) == 2)
    }

    @Test("HTTP/1.0 and Connection: close replies say close")
    func closes() throws {
        let h = Harness()
        guard case .reply(let reply) = h.responder.respond(to: h.part("GET / HTTP/1.0\r\n\r\n"), from: h.remote) else {
            Issue.record("the index page should be answered at once")
            return
        }
        #expect(h.split(reply).head.contains("Connection: close"))
        #expect(!reply.keepAlive)
    }

    @Test("a store that answers later: the reply arrives through start, once")
    func pendingReply() async throws {
        let h = Harness(store: DelayedStore())
        let outcome = h.responder.respond(to: h.part("GET \(Self.announceTarget()) HTTP/1.1\r\n\r\n"), from: h.remote)
        guard case .pending(let pending) = outcome else {
            Issue.record("a delayed store must give a pending reply")
            return
        }
        let reply = await withCheckedContinuation { continuation in
            h.responder.start(pending, lane: h.responder.logic.makeLane()) { continuation.resume(returning: $0) }
        }
        #expect(try BencodeValue.decode(h.split(reply).body)["complete"]?.integer == 1)
    }

    @Test("full scrape: gzip when accepted, rate limited per address, or switched off")
    func fullScrape() async throws {
        let h = Harness()
        _ = try h.get(Self.announceTarget())
        guard case .pending(let pending) = h.responder.respond(to: h.part("GET /scrape HTTP/1.1\r\nAccept-Encoding: gzip\r\n\r\n"), from: h.remote) else {
            Issue.record("a full scrape is built off the caller's thread")
            return
        }
        let reply = await withCheckedContinuation { continuation in
            h.responder.start(pending, lane: h.responder.logic.makeLane()) { continuation.resume(returning: $0) }
        }
        #expect(h.split(reply).head.contains("Content-Encoding: gzip"))
        #expect(h.split(reply).body.prefix(2) == [0x1F, 0x8B])
        let again = try h.get("/scrape")
        #expect(try BencodeValue.decode(again.body)["failure reason"]?.text?.hasPrefix("full scrape rate limited") == true)

        let off = Harness(fullScrape: false)
        #expect(try BencodeValue.decode(try off.get("/scrape").body)["failure reason"]?.text == "full scrape is disabled on this tracker")
    }

    @Test("a trusted proxy names the client: the right-most untrusted X-Forwarded-For entry, else X-Real-IP; others are ignored")
    func trustedProxies() throws {
        let proxies = TrustedProxies([AddressRange("10.0.0.0/8")!, AddressRange("2001:db8:ffff::/48")!])
        let proxy = PeerEndpoint.v4(IPv4Endpoint(address: 0x0A00_0001, port: 5555))
        func client(_ from: PeerEndpoint, _ forwarded: String?, _ real: String? = nil) -> String {
            "\(PeerAddress(proxies.client(of: from, forwardedFor: forwarded.map { Array($0.utf8) }, realIP: real.map { Array($0.utf8) })))"
        }
        #expect(client(proxy, "198.51.100.1, 203.0.113.9") == "203.0.113.9")
        #expect(client(proxy, "203.0.113.9, 10.0.0.7, 2001:db8:ffff::1") == "203.0.113.9", "trusted hops are skipped")
        #expect(client(proxy, "garbage, 10.0.0.7", "2001:db8::42") == "2001:db8::42", "an unreadable hop: X-Real-IP")
        #expect(client(proxy, nil, "::ffff:203.0.113.5") == "203.0.113.5")
        #expect(client(proxy, nil) == "10.0.0.1", "a proxy naming nobody is the client")
        let stranger = PeerEndpoint.v4(IPv4Endpoint(address: 0xC633_6401, port: 1))
        #expect(client(stranger, "203.0.113.9", "203.0.113.9") == "198.51.100.1", "ignored from anyone else")

        var buffer = ByteBuffer(string: "GET / HTTP/1.1\r\nX-Forwarded-For: 1.1.1.1\r\nx-forwarded-for: 2.2.2.2\r\nX-Real-IP: 3.3.3.3\r\n\r\n")
        guard case .request(let request) = HTTPRequestDecoder().decodeOne(&buffer) else { throw ResponderTestError.notImmediate }
        #expect(request.forwardedFor == Array("1.1.1.1,2.2.2.2".utf8), "repeated headers make one list")
        #expect(request.realIP == Array("3.3.3.3".utf8))
    }

    @Test("the full-scrape limit counts an IPv6 client by its /64")
    func fullScrapeLimitPerSlash64() {
        let logic = TrackerLogic(store: MemorySwarmStore(shardCount: 4), clock: ManualClock(), fullScrapeInterval: 60)
        let first = PeerEndpoint.v6(IPv6Endpoint(high: 0x2001_0DB8_0001_0002, low: 1, port: 1))
        let rotated = PeerEndpoint.v6(IPv6Endpoint(high: 0x2001_0DB8_0001_0002, low: 0xBEEF, port: 1))
        let elsewhere = PeerEndpoint.v6(IPv6Endpoint(high: 0x2001_0DB8_0001_0003, low: 1, port: 1))
        #expect(logic.admitFullScrape(from: first) == nil)
        #expect(logic.admitFullScrape(from: rotated) == .fullScrapeRateLimited(retryAfterSeconds: 60), "same /64, new interface id")
        #expect(logic.admitFullScrape(from: elsewhere) == nil)
    }
}
