import CompressNIO
import NIOCore
import NIOEmbedded
import Testing
@testable import TrackerEngine

/// The whole HTTP pipeline (decoder + tracker handler) over an EmbeddedChannel: bytes in, bytes out.
@Suite("HTTP handler")
struct HTTPHandlerTests {
    struct Harness {
        let channel = EmbeddedChannel()
        let stats = TrackerStats()
        let store = MemorySwarmStore(shardCount: 4)
        let clock = ManualClock()

        init(remote: String = "192.0.2.7", fullScrape: Bool = true, maxConnections: Int = 100) throws {
            let logic = TrackerLogic(store: store, policy: AnnouncePolicy(interval: 1800, minInterval: 300, intervalJitter: 0),
                                     clock: clock, fullScrapeEnabled: fullScrape, fullScrapeInterval: 60)
            let server = HTTPServer(logic: logic, stats: stats, limits: HTTPServerLimits(maxConnections: maxConnections))
            try server.configure(channel)
            try channel.connect(to: SocketAddress(ipAddress: remote, port: 40000)).wait()
        }

        /// Sends raw bytes and returns every response written so far, as (head, body).
        func exchange(_ text: String) throws -> [(head: String, body: [UInt8])] {
            try channel.writeInbound(ByteBufferAllocator().buffer(string: text))
            var responses: [(String, [UInt8])] = []
            while var out = try channel.readOutbound(as: ByteBuffer.self) {
                let bytes = out.readBytes(length: out.readableBytes)!
                let split = bytes.firstRange(of: Array("\r\n\r\n".utf8))!
                responses.append((String(decoding: bytes[..<split.lowerBound], as: UTF8.self), Array(bytes[split.upperBound...])))
            }
            return responses
        }

        func get(_ target: String, headers: String = "") throws -> (head: String, body: [UInt8]) {
            try #require(try exchange("GET \(target) HTTP/1.1\r\nHost: t\r\n\(headers)\r\n").first)
        }
    }

    static let hash = Fixture.hash(77)
    static func announceTarget(port: Int = 6881, left: Int = 0, extra: String = "") -> String {
        "/announce?info_hash=\(Fixture.percentEncoded(hash.bytes))&peer_id=-TR3000-000000000001&port=\(port)&left=\(left)\(extra)"
    }

    @Test("an announce is answered with counts, interval and BEP 24 external ip")
    func announce() throws {
        let h = try Harness()
        let (head, body) = try h.get(Self.announceTarget())
        #expect(head.hasPrefix("HTTP/1.1 200 OK"))
        #expect(head.contains("Content-Length: \(body.count)"))
        let reply = try BencodeValue.decode(body)
        #expect(reply["complete"]?.integer == 1)
        #expect(reply["interval"]?.integer == 1800)
        #expect(reply["min interval"]?.integer == 300)
        #expect(reply["external ip"]?.bytes == [192, 0, 2, 7])
        #expect(h.stats.count(.announce) == 1)
    }

    @Test("the peer address is the connection's; the port is the query's")
    func peerAddress() throws {
        let h = try Harness()
        _ = try h.get(Self.announceTarget(port: 51413, left: 0))
        let peers = try BencodeValue.decode(try h.get(Self.announceTarget(port: 6000, left: 9)).body)["peers"]?.bytes
        #expect(peers == [192, 0, 2, 7, 0xC8, 0xD5])
    }

    @Test("announce and scrape are served under a prefix path")
    func prefixedPaths() throws {
        let h = try Harness()
        let reply = try BencodeValue.decode(try h.get("/tracker" + Self.announceTarget()).body)
        #expect(reply["complete"]?.integer == 1)
        let scrape = try BencodeValue.decode(try h.get("/tracker/scrape?info_hash=\(Fixture.percentEncoded(Self.hash.bytes))").body)
        #expect(scrape["files"]?[String(decoding: Self.hash.bytes, as: UTF8.self)] == nil)  // keys are raw bytes, checked below
        #expect(scrape["files"]?.dictionary?[Self.hash.bytes]?["complete"]?.integer == 1)
    }

    @Test("invalid announces get HTTP 200 with a failure reason and are counted")
    func invalidAnnounce() throws {
        let h = try Harness()
        let (head, body) = try h.get("/announce?info_hash=short&peer_id=-TR3000-000000000001&port=1")
        #expect(head.hasPrefix("HTTP/1.1 200 OK"))
        #expect(try BencodeValue.decode(body)["failure reason"]?.text == "invalid info_hash: expected 20 bytes, got 5")
        #expect(h.stats.count(.failure) == 1)
        #expect(h.stats.failures("invalid_length") == 1)
        // The connection still serves the next request.
        #expect(try BencodeValue.decode(try h.get(Self.announceTarget()).body)["complete"]?.integer == 1)
    }

    @Test("other paths are 404, other methods 405, and / is a short page")
    func otherRoutes() throws {
        let h = try Harness()
        #expect(try h.get("/favicon.ico").head.hasPrefix("HTTP/1.1 404"))
        let post = try #require(try h.exchange("DELETE /announce HTTP/1.1\r\n\r\n").first)
        #expect(post.head.hasPrefix("HTTP/1.1 405"))
        let index = try h.get("/")
        #expect(String(decoding: index.body, as: UTF8.self).contains("announce"))
    }

    @Test("Connection: close and HTTP/1.0 close the connection after the answer")
    func closes() throws {
        let h = try Harness()
        let first = try #require(try h.exchange("GET / HTTP/1.0\r\n\r\n").first)
        #expect(first.head.contains("Connection: close"))
        #expect(!h.channel.isActive)
    }

    @Test("a malformed request gets 400 and the connection closes; others are untouched")
    func malformed() throws {
        let h = try Harness()
        let other = try Harness()
        let response = try #require(try h.exchange("NONSENSE\r\n\r\n").first)
        #expect(response.head.hasPrefix("HTTP/1.1 400"))
        #expect(!h.channel.isActive)
        #expect(h.stats.count(.badHTTPRequest) == 1)
        #expect(try other.get("/").head.hasPrefix("HTTP/1.1 200"))
    }

    @Test("pipelined requests are answered in order")
    func pipelined() throws {
        let h = try Harness()
        let responses = try h.exchange("GET /nope HTTP/1.1\r\n\r\nGET " + Self.announceTarget() + " HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n")
        #expect(responses.count == 3)
        #expect(responses[0].head.hasPrefix("HTTP/1.1 404"))
        #expect(try BencodeValue.decode(responses[1].body)["complete"]?.integer == 1)
        #expect(responses[2].head.hasPrefix("HTTP/1.1 200"))
    }

    @Test("connections above the limit are refused")
    func connectionLimit() throws {
        let logic = TrackerLogic(store: MemorySwarmStore(shardCount: 1))
        let stats = TrackerStats()
        let server = HTTPServer(logic: logic, stats: stats, limits: HTTPServerLimits(maxConnections: 1))
        let first = EmbeddedChannel(), second = EmbeddedChannel()
        try server.configure(first)
        try server.configure(second)
        try first.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try second.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 2)).wait()
        #expect(first.isActive)
        #expect(!second.isActive)
        #expect(stats.count(.connectionRefused) == 1)
        #expect(server.openConnections == 1)
        _ = try first.finish()
        #expect(server.openConnections == 0)
    }

    @Test("idle connections are closed after the timeout; busy ones are not")
    func idleTimeout() throws {
        let server = HTTPServer(logic: TrackerLogic(store: MemorySwarmStore(shardCount: 1)), stats: TrackerStats(),
                                limits: HTTPServerLimits(idleTimeoutSeconds: 3))
        let quiet = EmbeddedChannel(), talking = EmbeddedChannel(loop: quiet.embeddedEventLoop)
        for channel in [quiet, talking] {
            try server.configure(channel)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        }
        for _ in 0..<2 {
            quiet.embeddedEventLoop.advanceTime(by: .seconds(1))
            try talking.writeInbound(ByteBufferAllocator().buffer(string: "GET / HTTP/1.1\r\n\r\n"))
        }
        #expect(quiet.isActive, "closed before the timeout")
        quiet.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!quiet.isActive, "still open after 3 idle seconds")
        #expect(talking.isActive, "a connection with traffic was closed")
        quiet.embeddedEventLoop.advanceTime(by: .seconds(3))
        #expect(!talking.isActive)
    }

    @Test("a request split across reads is answered once complete; bytes beyond the buffer bound close the connection")
    func splitAndBounded() throws {
        let h = try Harness()
        #expect(try h.exchange("GET / HT").isEmpty)
        #expect(try h.exchange("TP/1.1\r\n").isEmpty)
        #expect(try h.exchange("\r\n").first?.head.hasPrefix("HTTP/1.1 200") == true)
        let flood = String(repeating: "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 1000) + "\r\n", count: 300)
        _ = try? h.exchange(flood)
        #expect(!h.channel.isActive)
    }
}
