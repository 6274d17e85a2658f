import NIOCore
import Testing
@testable import TrackerEngine

@Suite("HTTP request decoder")
struct HTTPRequestDecoderTests {
    func decode(_ text: String, maxRequestLine: Int = 8192, maxHead: Int = 16384) -> [HTTPRequestPart] {
        let decoder = HTTPRequestDecoder(maxRequestLine: maxRequestLine, maxHeadBytes: maxHead)
        var buffer = ByteBufferAllocator().buffer(string: text)
        var parts: [HTTPRequestPart] = []
        while let part = decoder.decodeOne(&buffer) {
            parts.append(part)
            if case .malformed = part { break }
        }
        return parts
    }

    func request(_ part: HTTPRequestPart?) -> HTTPRequest? {
        if case .request(let r)? = part { return r }
        return nil
    }

    @Test("HTTP/1.1 keeps alive unless told to close; HTTP/1.0 closes unless told to keep alive", arguments: [
        ("GET / HTTP/1.1\r\n\r\n", true),
        ("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", false),
        ("GET / HTTP/1.0\r\n\r\n", false),
        ("GET / HTTP/1.0\r\nconnection: Keep-Alive\r\n\r\n", true),
    ])
    func keepAlive(text: String, keepAlive: Bool) throws {
        let r = try #require(request(decode(text).first))
        #expect(r.keepAlive == keepAlive)
    }

    @Test("reads the target raw, gzip acceptance, and pipelined requests in order")
    func targetsAndPipelining() throws {
        let parts = decode("GET /announce?a=%41+b HTTP/1.1\r\nAccept-Encoding: deflate, GZIP\r\n\r\nGET /scrape HTTP/1.1\r\nHost: x\r\n\r\nGET /par")
        #expect(parts.count == 2)
        let first = try #require(request(parts.first))
        #expect(String(buffer: first.target) == "/announce?a=%41+b")
        #expect(first.acceptsGzip)
        #expect(String(buffer: try #require(request(parts.last)).target) == "/scrape")
    }

    @Test("accepts bare LF line ends")
    func bareLF() throws {
        #expect(request(decode("GET /x HTTP/1.1\nHost: a\n\n").first) != nil)
    }

    @Test("refuses what it cannot serve", arguments: [
        ("GET / HTTP/2.0\r\n\r\n", HTTPStatus.badRequest),
        ("GARBAGE\r\n\r\n", .badRequest),
        ("GET noslash HTTP/1.1\r\n\r\n", .badRequest),
        ("GET / HTTP/1.1\r\nNoColonHere\r\n\r\n", .badRequest),
        ("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", .payloadTooLarge),
        ("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", .payloadTooLarge),
    ])
    func refuses(text: String, status: HTTPStatus) {
        #expect(decode(text).first == .malformed(status))
    }

    @Test("bounds the request line and the head, even before they end")
    func bounds() {
        #expect(decode("GET /" + String(repeating: "a", count: 200), maxRequestLine: 100).first == .malformed(.uriTooLong))
        #expect(decode("GET /" + String(repeating: "a", count: 200) + " HTTP/1.1\r\n\r\n", maxRequestLine: 100).first == .malformed(.uriTooLong))
        let manyHeaders = "GET / HTTP/1.1\r\n" + String(repeating: "X-A: b\r\n", count: 50)
        #expect(decode(manyHeaders, maxHead: 200).first == .malformed(.headersTooLarge))
        #expect(decode("GET / HTTP/1.1\r\n" + String(repeating: "X: y\r\n", count: 101) + "\r\n").first == .malformed(.headersTooLarge))
    }

    @Test("never crashes on truncated or random bytes")
    func sweep() {
        let valid = "GET /announce?info_hash=x HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\nAccept-Encoding: gzip\r\n\r\n"
        for length in 0..<valid.utf8.count {
            let parts = decode(String(decoding: valid.utf8.prefix(length), as: UTF8.self))
            #expect(parts.isEmpty || { if case .malformed = parts[0] { return true }; return false }())
        }
        var rng = SplitMix(seed: 3)
        let pieces = ["GET", " ", "/", "\r\n", "\n", "HTTP/1.1", "HTTP/1.0", ":", "Connection", "close", "?", "%", "\u{0}", "\u{FF}"]
        for _ in 0..<10_000 {
            let text = (0..<Int(rng.next() % 16)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            _ = decode(text, maxRequestLine: 64, maxHead: 128)
        }
    }
}
