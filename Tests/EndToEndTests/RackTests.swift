import Foundation
import Glibc
import Testing
import TrackerEngine
import TrackerTestSupport

/// Racks in the built binary: clients bound to 127.0.1.x (rack r1) and 127.0.2.x (rack r2) on
/// loopback, over HTTP and UDP, on both stores; the racks file read again on SIGHUP; the rack in
/// the dashboard's peers and details views.
@Suite("End to end: racks", .serialized)
struct RackTests {
    enum StoreKind: String, CaseIterable, Sendable { case memory, redis }

    static let hash = InfoHash(hex: "5ac5ac5ac5ac5ac5ac5ac5ac5ac5ac5ac5ac5ac5")!

    /// Compact IPv4 peers of an HTTP reply, as dotted addresses.
    static func peers(_ response: HTTPProbe.Response) throws -> [String] {
        let bytes = try #require(try BencodeValue.decode(response.body)["peers"]?.bytes)
        return stride(from: 0, to: bytes.count - 5, by: 6).map { bytes[$0..<$0 + 4].map(String.init).joined(separator: ".") }
    }

    static func announce(_ port: Int, from source: String, id: Int, numwant: Int = 0) throws -> HTTPProbe.Response {
        try HTTPProbe.get(host: "127.0.0.1", port: port,
                          path: DashboardTmuxTests.announce(hash, id: id, port: 6881, left: 5) + "&compact=1&numwant=\(numwant)", source: source)
    }

    @Test("a rack-1 announcer with numwant=10 gets only rack-1 peers while 30 exist, over HTTP and UDP; SIGHUP reads the racks file again",
          arguments: StoreKind.allCases)
    func rackFirst(store: StoreKind) throws {
        let directory = TrackerProcess.makeDataDirectory()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let racksFile = directory.appendingPathComponent("racks")
        try "# test racks\nr2 127.0.2.0/24\n".write(to: racksFile, atomically: true, encoding: .utf8)
        let storeArguments = store == .memory ? ["--store", "memory"] : ["--redis", TestRedis.shared.url, "--redis-prefix", TestRedis.uniquePrefix()]
        let tracker = try TrackerProcess(arguments: storeArguments + ["--rack", "r1=127.0.1.0/24", "--racks", racksFile.path], udp: true)
        defer { _ = tracker.stop() }
        for host in 1...15 {
            _ = try Self.announce(tracker.port, from: "127.0.1.\(host)", id: host)
            _ = try Self.announce(tracker.port, from: "127.0.2.\(host)", id: 100 + host)
        }
        let http = try Self.peers(Self.announce(tracker.port, from: "127.0.1.200", id: 200, numwant: 10))
        #expect(http.count == 10 && http.allSatisfy { $0.hasPrefix("127.0.1.") }, "HTTP, rack r1: \(http)")

        let udp = try UDPProbe(port: tracker.port, source: "127.0.2.200")
        let reply = try #require(udp.exchange(UDPProbe.announce(try udp.connect(), hash: Self.hash, peer: 9, numwant: 10)))
        let udpPeers = stride(from: 20, to: reply.count - 5, by: 6).map { reply[$0..<$0 + 4].map(String.init).joined(separator: ".") }
        #expect(udpPeers.count == 10 && udpPeers.allSatisfy { $0.hasPrefix("127.0.2.") }, "UDP, rack r2 (from the file): \(udpPeers)")

        // r2 redefined to a range holding nobody: 127.0.2.x peers are in no rack from the next announce on.
        try "r2 127.0.9.0/24\nr3 127.0.3.0/24\n".write(to: racksFile, atomically: true, encoding: .utf8)
        kill(tracker.process.pid, SIGHUP)
        #expect(CatalogTests.waitUntil(seconds: 5) { tracker.log.contains("racks loaded") && tracker.log.contains("r3") }, "\(tracker.log)")
        for host in 1...3 { _ = try Self.announce(tracker.port, from: "127.0.3.\(host)", id: 300 + host) }
        let r3 = try Self.peers(Self.announce(tracker.port, from: "127.0.3.200", id: 400, numwant: 3))
        #expect(r3.count == 3 && r3.allSatisfy { $0.hasPrefix("127.0.3.") }, "the new rack r3 applies after SIGHUP: \(r3)")
        #expect(tracker.stop() == 0)
    }

    @Test("the peers view shows each peer's rack; the details view counts seeders and leechers per rack")
    func dashboard() throws {
        let directory = TrackerProcess.makeDataDirectory()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try FreePort.find()
        let tmux = try TmuxSession([TrackerProcess.binary.path, "--store", "memory", "--http", "127.0.0.1:\(port)", "--data-dir", directory.path,
                                    "--rack", "rack-one=127.0.1.0/24", "--rack", "rack-two=127.0.2.0/24"])
        try DashboardTmuxTests.waitUntilServing(port: port)
        _ = try Self.announce(port, from: "127.0.1.1", id: 1)
        _ = try HTTPProbe.get(host: "127.0.0.1", port: port, path: DashboardTmuxTests.announce(Self.hash, id: 2, port: 6881, left: 0), source: "127.0.1.2")
        _ = try Self.announce(port, from: "127.0.2.1", id: 3)
        _ = try Self.announce(port, from: "127.0.4.1", id: 4)
        try tmux.waitFor("1 of 1 torrents")
        try tmux.send("Enter")
        var screen = try tmux.waitFor("Peers of \(Self.hash.hex)")
        screen = try tmux.waitForScreen(timeout: 5, "four peers with their racks") { lines in lines.filter { $0.hasPrefix("127.0.") }.count == 4 }
        #expect(screen.contains { $0.hasPrefix("127.0.1.1:6881") && $0.contains("rack-one") }, "\(screen)")
        #expect(screen.contains { $0.hasPrefix("127.0.2.1:6881") && $0.contains("rack-two") })
        #expect(screen.contains { $0.hasPrefix("127.0.4.1:6881") && $0.contains(" -  ") }, "no rack")
        try tmux.send("i")
        screen = try tmux.waitForScreen(timeout: 5, "per-rack counts") { lines in lines.contains { $0.contains("rack rack-one") } }
        #expect(screen.contains { $0.contains("rack rack-one") && $0.contains("1 seeders, 1 leechers") }, "\(screen)")
        #expect(screen.contains { $0.contains("rack rack-two") && $0.contains("0 seeders, 1 leechers") })
        #expect(screen.contains { $0.contains("no rack") && $0.contains("0 seeders, 1 leechers") })
        try tmux.send("q")
        try tmux.waitFor("(y/n)")
        try tmux.send("y")
        #expect(try tmux.exitStatus() == 0)
    }

    @Test("an attached dashboard names the racks an engine defined (read from the store): peers view and details")
    func attachedDashboard() throws {
        let redis = TestRedis.shared, prefix = TestRedis.uniquePrefix()
        let engine = try TrackerProcess(arguments: ["--redis", redis.url, "--redis-prefix", prefix,
                                                    "--rack", "rack-one=127.0.1.0/24", "--rack", "rack-two=127.0.2.0/24"])
        defer { _ = engine.stop() }
        _ = try Self.announce(engine.port, from: "127.0.1.1", id: 1)
        _ = try Self.announce(engine.port, from: "127.0.2.1", id: 2)
        let tmux = try TmuxSession([TrackerProcess.binary.path, "dashboard", "--redis", redis.url, "--redis-prefix", prefix,
                                    "--log-file", engine.dataDirectory.appendingPathComponent("dashboard.log").path])
        try tmux.waitFor("1 of 1 torrents")
        try tmux.send("Enter")
        var screen = try tmux.waitForScreen(timeout: 5, "two peers with their racks") { lines in
            lines.contains { $0.hasPrefix("127.0.1.1:6881") && $0.contains("rack-one") } && lines.contains { $0.hasPrefix("127.0.2.1:6881") && $0.contains("rack-two") }
        }
        try tmux.send("i")
        screen = try tmux.waitForScreen(timeout: 5, "per-rack counts") { lines in lines.contains { $0.contains("rack rack-two") } }
        #expect(screen.contains { $0.contains("rack rack-one") && $0.contains("0 seeders, 1 leechers") }, "\(screen)")
        try tmux.send("q")
        #expect(try tmux.exitStatus() == 0)
        #expect(engine.stop() == 0)
    }
}
