import CompressNIO
import Foundation
import TrackerTestSupport
import NIOCore
import Testing
import TrackerEngine

/// The built binary over real sockets: what a client and an operator see.
@Suite("End to end: tracker process", .serialized)
struct TrackerProcessTests {
    static func announcePath(_ hash: InfoHash, id: Int, port: Int, left: Int, extra: String = "") -> String {
        let peerID = "-TT0001-" + String(format: "%012d", id)
        return "/announce?info_hash=\(hash.bytes.map { String(format: "%%%02X", $0) }.joined())&peer_id=\(peerID)&port=\(port)&left=\(left)\(extra)"
    }

    static let hash = InfoHash(hex: "0123456789abcdef0123456789abcdef01234567")!

    @Test("full scrape: gzip when accepted, then rate-limited per address")
    func fullScrape() throws {
        let tracker = try TrackerProcess(arguments: ["--full-scrape-interval", "60"])
        _ = try HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: Self.announcePath(Self.hash, id: 1, port: 5000, left: 0))
        let first = try HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: "/scrape", headers: ["Accept-Encoding: gzip"])
        #expect(first.head.contains("Content-Encoding: gzip"))
        var compressed = ByteBuffer(bytes: first.body)
        let plain = try compressed.decompress(with: .gzip())
        let files = try BencodeValue.decode(Array(plain.readableBytesView))["files"]?.dictionary
        #expect(files?[Self.hash.bytes]?["complete"]?.integer == 1)

        let second = try HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: "/scrape")
        let reason = try BencodeValue.decode(second.body)["failure reason"]?.text
        #expect(reason?.hasPrefix("full scrape rate limited, retry in") == true, "got \(reason ?? "no failure")")
        #expect(tracker.stop() == 0)
    }

    @Test("full scrape can be switched off")
    func fullScrapeOff() throws {
        let tracker = try TrackerProcess(arguments: ["--full-scrape", "off"])
        let reply = try HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: "/scrape")
        #expect(try BencodeValue.decode(reply.body)["failure reason"]?.text == "full scrape is disabled on this tracker")
    }

    @Test("IPv6 peers announce over [::1] and get peers6", .enabled(if: (try? FreePort.find(host: "::1")) != nil))
    func ipv6() throws {
        let tracker = try TrackerProcess(host: "::1")
        _ = try HTTPProbe.get(host: "::1", port: tracker.port, path: Self.announcePath(Self.hash, id: 1, port: 6001, left: 0))
        let reply = try BencodeValue.decode(try HTTPProbe.get(host: "::1", port: tracker.port,
                                                              path: Self.announcePath(Self.hash, id: 2, port: 6002, left: 5)).body)
        #expect(reply["peers6"]?.bytes == Array(repeating: 0, count: 15) + [1, 0x17, 0x71])  // [::1]:6001
        #expect(reply["external ip"]?.bytes == Array(repeating: 0, count: 15) + [1])
        #expect(reply["complete"]?.integer == 1)
        #expect(reply["incomplete"]?.integer == 1)
    }

    @Test("a flood of broken requests never takes the tracker down, and each is answered or dropped")
    func garbage() throws {
        let tracker = try TrackerProcess()
        var rng = SystemRandomNumberGenerator()
        let prefixes = ["GET /announce?", "GET /scrape?", "GET /", "POST /announce HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", "\u{0}\u{1}", "GET /announce?info_hash=%"]
        var answered = 0
        for i in 0..<300 {
            var bytes = Array(prefixes[i % prefixes.count].utf8)
            bytes += (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if i % 2 == 0 { bytes += Array(" HTTP/1.1\r\n\r\n".utf8) }
            if let response = try? HTTPProbe.send(host: "127.0.0.1", port: tracker.port, bytes: bytes) {
                #expect([200, 400, 404, 405, 413, 414, 431].contains(response.status), "status \(response.status)")
                answered += 1
            }
        }
        #expect(answered > 100)
        #expect(tracker.process.isRunning)
        let ok = try HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: Self.announcePath(Self.hash, id: 1, port: 5000, left: 0))
        #expect(try BencodeValue.decode(ok.body)["complete"]?.integer == 1)
        #expect(tracker.stop(signal: SIGINT) == 0, "SIGINT shuts down cleanly")
    }

    @Test("bad options are refused before anything starts")
    func badOptions() throws {
        let (status, text) = try TrackerProcess.runToCompletion(["serve", "--http", "nonsense"])
        #expect(status != 0)
        #expect(text.contains("expected HOST:PORT"))
    }
}
