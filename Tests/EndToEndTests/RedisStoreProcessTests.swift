import Foundation
import Testing
import TrackerEngine
import TrackerTestSupport

/// The Redis store as operators meet it: nodes sharing a server, a server that goes away and
/// comes back, the managed server across restarts.
@Suite("End to end: Redis store", .serialized)
struct RedisStoreProcessTests {
    static let hash = InfoHash(hex: "feedfacecafebeef0123456789abcdef76543210")!

    static func announce(id: Int, port: Int, left: Int, event: String = "") -> String {
        let hash = Self.hash.bytes.map { String(format: "%%%02X", $0) }.joined()
        return "/announce?info_hash=\(hash)&peer_id=-TT0001-\(String(format: "%012d", id))&port=\(port)&left=\(left)&event=\(event)"
    }

    static func scrape() -> String {
        "/scrape?info_hash=" + Self.hash.bytes.map { String(format: "%%%02X", $0) }.joined()
    }

    static func decode(_ response: HTTPProbe.Response) throws -> BencodeValue { try BencodeValue.decode(response.body) }

    @Test("two trackers on one Redis act as one: a peer announced to A is returned by B, and counts agree")
    func twoNodes() throws {
        let redis = try TestRedis()
        defer { redis.stop() }
        let prefix = TestRedis.uniquePrefix()
        let a = try TrackerProcess(arguments: ["--redis", redis.url, "--redis-prefix", prefix])
        let b = try TrackerProcess(arguments: ["--redis", redis.url, "--redis-prefix", prefix])
        _ = try HTTPProbe.get(host: "127.0.0.1", port: a.port, path: Self.announce(id: 1, port: 6001, left: 0))
        let reply = try Self.decode(try HTTPProbe.get(host: "127.0.0.1", port: b.port, path: Self.announce(id: 2, port: 6002, left: 10)))
        #expect(reply["peers"]?.bytes == [127, 0, 0, 1, 0x17, 0x71], "node B returns the seeder announced to node A")
        for node in [a, b] {
            let files = try Self.decode(try HTTPProbe.get(host: "127.0.0.1", port: node.port, path: Self.scrape()))["files"]?.dictionary
            #expect(files?[Self.hash.bytes]?["complete"]?.integer == 1)
            #expect(files?[Self.hash.bytes]?["incomplete"]?.integer == 1)
        }
        #expect(a.stop() == 0)
        #expect(b.stop() == 0)
    }

    @Test("Redis stops under load: every announce is answered within 1 s, and the tracker recovers within 5 s of its return")
    func redisGoesAway() throws {
        var redis = try TestRedis()
        let port = redis.port
        let tracker = try TrackerProcess(arguments: ["--redis", redis.url, "--redis-prefix", TestRedis.uniquePrefix()])
        var outcomes: [String] = []
        for i in 0..<120 {  // bounded: 120 announces, about 6 s
            if i == 30 { redis.stop() }
            let started = Date()
            let response = try HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: Self.announce(id: i, port: 7000 + i, left: 1))
            let took = Date().timeIntervalSince(started)
            #expect(took < 1.0, "announce \(i) took \(took) s")
            let reply = try Self.decode(response)
            if let reason = reply["failure reason"]?.text {
                #expect(reason == "tracker storage unavailable, retry later")
                outcomes.append("down")
            } else {
                #expect(reply["incomplete"]?.integer != nil)
                outcomes.append("up")
            }
            if i == 60 { redis = try TestRedis(port: port) }
            usleep(50_000)
        }
        defer { redis.stop() }
        #expect(outcomes.prefix(30).allSatisfy { $0 == "up" }, "all served while Redis ran")
        #expect(outcomes[31..<60].allSatisfy { $0 == "down" }, "all refused clearly while Redis was gone")
        let firstUpAgain = outcomes[61...].firstIndex(of: "up")
        #expect(firstUpAgain != nil && firstUpAgain! - 61 < 100, "reconnected after \(firstUpAgain.map { $0 - 61 } ?? -1) announces (50 ms apart)")
        #expect(outcomes.suffix(20).allSatisfy { $0 == "up" })
        #expect(tracker.process.isRunning)
        #expect(tracker.stop() == 0)
    }

    @Test("the managed Redis keeps swarms and completions across a restart, and leaves no redis-server behind")
    func managedRestart() throws {
        let directory = TrackerProcess.makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let first = try Self.trackerWithCompletedDownload(in: directory)
            _ = try HTTPProbe.get(host: "127.0.0.1", port: first.port, path: Self.announce(id: 2, port: 6002, left: 9, event: "started"))
            #expect(first.stop() == 0)
        }
        #expect(Self.redisServers(for: directory).isEmpty, "the managed redis-server stopped with the tracker")
        let second = try TrackerProcess(dataDirectory: directory)
        let files = try Self.decode(try HTTPProbe.get(host: "127.0.0.1", port: second.port, path: Self.scrape()))["files"]?.dictionary
        #expect(files?[Self.hash.bytes]?["downloaded"]?.integer == 1)
        #expect(files?[Self.hash.bytes]?["complete"]?.integer == 1)
        #expect(files?[Self.hash.bytes]?["incomplete"]?.integer == 1)
        #expect(second.stop() == 0)
        #expect(Self.redisServers(for: directory).isEmpty)
    }

    @Test("after kill -9, the orphaned managed redis-server is retired cleanly and the data survives")
    func killedTracker() throws {
        let directory = TrackerProcess.makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let first = try Self.trackerWithCompletedDownload(in: directory)
            #expect(first.stop(signal: SIGKILL) != 0)
        }
        #expect(Self.redisServers(for: directory).count == 1, "the killed tracker's redis-server is left running")
        let second = try TrackerProcess(dataDirectory: directory)
        let files = try Self.decode(try HTTPProbe.get(host: "127.0.0.1", port: second.port, path: Self.scrape()))["files"]?.dictionary
        #expect(files?[Self.hash.bytes]?["downloaded"]?.integer == 1)
        #expect(second.log.contains("did not stop cleanly"))
        #expect(second.stop() == 0)
        #expect(Self.redisServers(for: directory).isEmpty)
    }

    @Test("without redis-server, the default store refuses to start and says how to fix it")
    func redisMissing() throws {
        let (status, text) = try TrackerProcess.runToCompletion(
            ["serve", "--http", "127.0.0.1:0", "--data-dir", "/tmp/tt-e2e-missing"],
            environment: ["TRACKERTUI_REDIS_SERVER": "/nonexistent/redis-server", "HOME": "/tmp"])
        #expect(status != 0)
        #expect(text.contains("apt-get install redis-server"), "got: \(text)")
        #expect(text.contains("--store memory"), "got: \(text)")
    }

    /// A tracker with the managed Redis in `directory`, where peer 1 started and completed.
    static func trackerWithCompletedDownload(in directory: URL) throws -> TrackerProcess {
        let tracker = try TrackerProcess(dataDirectory: directory)
        _ = try HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: Self.announce(id: 1, port: 6001, left: 5, event: "started"))
        _ = try HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: Self.announce(id: 1, port: 6001, left: 0, event: "completed"))
        return tracker
    }

    /// redis-server processes whose command line names this data directory.
    static func redisServers(for directory: URL) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { Int($0) != nil }.compactMap { pid in
            guard let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let text = String(decoding: cmdline.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return text.contains("redis-server") && text.contains(directory.path) ? pid : nil
        }
    }
}
