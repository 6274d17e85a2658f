import Foundation
import Testing
import TrackerEngine
import TrackerTestSupport

/// The real dashboard in a real terminal (tmux): announces driven over HTTP, the screen read
/// back with capture-pane, keys sent with send-keys.
@Suite("End to end: dashboard in tmux", .serialized)
struct DashboardTmuxTests {
    static let hashes = ["a1", "b2", "c3"].map { InfoHash(hex: $0 + String(repeating: "5", count: 38))! }

    static func announce(_ hash: InfoHash, id: Int, port: Int, left: Int, client: String = "-qB4520-") -> String {
        "/announce?info_hash=\(hash.bytes.map { String(format: "%%%02X", $0) }.joined())&peer_id=\(client)\(String(format: "%012d", id))"
            + "&port=\(port)&left=\(left)"
    }

    static func failureReason(_ response: HTTPProbe.Response) throws -> String? {
        try BencodeValue.decode(response.body)["failure reason"]?.text
    }

    static func waitUntilServing(port: Int) throws {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if (try? HTTPProbe.get(host: "127.0.0.1", port: port, path: "/")) != nil { return }
            usleep(100_000)
        }
        throw E2EError("the tracker did not listen on \(port)")
    }

    @Test("engine + dashboard: table, filter, peers view, blacklist by keys, resize to 80×24, q y exits 0")
    func engineMode() throws {
        let port = try FreePort.find()
        let data = TrackerProcess.makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let tmux = try TmuxSession([TrackerProcess.binary.path, "--store", "memory", "--http", "127.0.0.1:\(port)", "--data-dir", data.path])
        try Self.waitUntilServing(port: port)
        let (a, b, c) = (Self.hashes[0], Self.hashes[1], Self.hashes[2])
        // a: one seeder and one leecher; b: two leechers; c: one leecher.
        for (hash, id, left) in [(a, 1, 0), (a, 2, 50), (b, 3, 50), (b, 4, 50), (c, 5, 50)] {
            _ = try HTTPProbe.get(host: "127.0.0.1", port: port, path: Self.announce(hash, id: id, port: 6000 + id, left: left))
        }

        var screen = try tmux.waitFor("3 of 3 torrents")
        #expect(screen[0].hasPrefix("trackertui  up"))
        #expect(screen[0].contains("http://127.0.0.1:\(port)"))
        #expect(screen[2].hasPrefix("Torrents 3  Peers 5  Seeders 1  Leechers 4"))
        let rowA = try #require(screen.first { $0.hasPrefix(a.hex) }, "a row for torrent a")
        #expect(rowA.split(separator: " ").dropFirst().prefix(4) == ["-", "1", "1", "0"], "a: no size (no catalog), 1 seeder, 1 leecher, 0 done: \(rowA)")
        #expect(screen[6].hasPrefix(a.hex), "sorted by seeders: a first")

        // Filter by an info-hash prefix.
        try tmux.send("/")
        try tmux.type("b2")
        try tmux.send("Enter")
        screen = try tmux.waitFor("1 of 3 torrents")
        #expect(screen.contains { $0.hasPrefix(b.hex) })
        #expect(!screen.contains { $0.hasPrefix(a.hex) })
        try tmux.send("Escape")
        try tmux.waitFor("3 of 3 torrents")

        // The peers of a (the selection stayed on b through the filter: back to the top).
        try tmux.send("Home")
        try tmux.send("Enter")
        screen = try tmux.waitFor("127.0.0.1:6001")
        #expect(screen.contains { $0.hasPrefix("ADDRESS") })
        let seeder = try #require(screen.first { $0.hasPrefix("127.0.0.1:6001") })
        #expect(seeder.contains("seed") && seeder.contains("qBittorrent 4.5.2"), "\(seeder)")
        #expect(screen.contains { $0.hasPrefix("127.0.0.1:6002") && $0.contains("leech") })
        try tmux.send("Escape")
        try tmux.waitFor("3 of 3 torrents")

        // Blacklist a (the selected first row) by keys: asked, confirmed, enforced, persisted.
        try tmux.send("b")
        try tmux.waitFor("and drop its swarm? (y/n)")
        try tmux.send("y")
        try tmux.waitFor("its swarm is purged")
        let refused = try HTTPProbe.get(host: "127.0.0.1", port: port, path: Self.announce(a, id: 9, port: 6009, left: 0))
        #expect(try Self.failureReason(refused) == "torrent is blacklisted")
        let blacklist = try String(contentsOf: data.appendingPathComponent("blacklist"), encoding: .utf8)
        #expect(blacklist.contains(a.hex))
        screen = try tmux.waitFor("Blacklisted 1")
        #expect(screen.contains { $0.hasPrefix("⊘ " + a.hex.prefix(20)) }, "the blacklisted torrent stays listed, marked")

        // The action is logged: in the log file (nothing is written to the terminal) and in the log view.
        let log = try String(contentsOf: data.appendingPathComponent("trackertui.log"), encoding: .utf8)
        #expect(log.contains("blacklisted info_hash=\(a.hex)"))
        try tmux.send("l")
        screen = try tmux.waitFor("blacklisted info_hash=\(a.hex)")
        #expect(screen.contains { $0.hasPrefix(" LOG") })
        try tmux.send("Escape")
        try tmux.waitFor("3 of 3 torrents")

        // 80×24: everything still fits.
        try tmux.resize(columns: 80, rows: 24)
        // tmux first shows the old frame cropped (its key bar moved up): wait for the redrawn header too.
        screen = try tmux.waitForScreen("an 80×24 layout") { $0.count >= 24 && $0[23].hasPrefix("F1Help") && $0[0].hasPrefix("trackertui") }
        #expect(screen.prefix(24).allSatisfy { $0.count <= 80 })
        #expect(screen[2].hasPrefix("Torrents 3"))
        #expect(screen[5].hasPrefix("NAME / INFO-HASH"))

        // q asks, y quits and stops the tracker cleanly.
        try tmux.send("q")
        try tmux.waitFor("Quit and stop the tracker? (y/n)")
        try tmux.send("y")
        #expect(try tmux.exitStatus() == 0)
        #expect((try? HTTPProbe.get(host: "127.0.0.1", port: port, path: "/")) == nil, "the tracker stopped with the dashboard")
    }

    @Test("attach mode: one dashboard over two engines sharing Redis, HTTP and UDP rates apart; its blacklist reaches both engines")
    func attachMode() throws {
        let redis = TestRedis.shared
        let prefix = TestRedis.uniquePrefix()
        let nodeA = try TrackerProcess(arguments: ["--redis", redis.url, "--redis-prefix", prefix])
        let nodeB = try TrackerProcess(arguments: ["--redis", redis.url, "--redis-prefix", prefix], udp: true)
        let hash = Self.hashes[2]
        _ = try HTTPProbe.get(host: "127.0.0.1", port: nodeA.port, path: Self.announce(hash, id: 1, port: 7001, left: 0))
        _ = try HTTPProbe.get(host: "127.0.0.1", port: nodeB.port, path: Self.announce(hash, id: 2, port: 7002, left: 10, client: "-TR3000-"))

        let tmux = try TmuxSession([TrackerProcess.binary.path, "dashboard", "--redis", redis.url, "--redis-prefix", prefix,
                                    "--log-file", nodeA.dataDirectory.appendingPathComponent("dashboard.log").path])
        var screen = try tmux.waitFor("nodes 2")
        screen = try tmux.waitFor("1 of 1 torrents")
        #expect(screen[1].contains("connected"))
        #expect(screen.contains { $0.hasPrefix(hash.hex) })
        #expect(screen[2].hasPrefix("Torrents 1  Peers 2  Seeders 1  Leechers 1"), "peers from both engines: \(screen[2])")
        #expect(screen[0].contains("udp://127.0.0.1:\(nodeB.port)"), "the UDP listener of node B: \(screen[0])")

        // UDP announces to node B, a few a second, show in the UDP share of the rates; HTTP's
        // falls to zero once the HTTP announces above are a second old.
        let udp = try UDPProbe(port: nodeB.port)
        let id = try udp.connect()
        let udpShown = try Self.rates(in: tmux, until: { $0.udp > 0 && $0.http == 0 }) {
            _ = udp.exchange(UDPProbe.announce(id, hash: hash, peer: 5, port: 7005))
        }
        #expect(udpShown.udp > 0 && udpShown.http == 0, "announces/s by protocol: \(udpShown)")

        try tmux.send("Enter")
        screen = try tmux.waitFor("127.0.0.1:7002")
        #expect(screen.contains { $0.contains("Transmission 3.00") })
        try tmux.send("b")
        try tmux.waitFor("(y/n)")
        try tmux.send("y")
        try tmux.waitFor("its swarm is purged")
        for node in [nodeA, nodeB] {
            var reason: String?
            let deadline = Date().addingTimeInterval(3)
            repeat {
                reason = try Self.failureReason(try HTTPProbe.get(host: "127.0.0.1", port: node.port, path: Self.announce(hash, id: 3, port: 7003, left: 0)))
                if reason == nil { usleep(100_000) }
            } while reason == nil && Date() < deadline
            #expect(reason == "torrent is blacklisted", "node on \(node.port) learned of the blacklist")
        }
        try tmux.send("q")
        #expect(try tmux.exitStatus() == 0, "attached, q quits at once")
        #expect(nodeA.stop() == 0 && nodeB.stop() == 0, "the engines keep running until stopped themselves")
    }

    /// Does `action` about five times a second until the announce meter's HTTP and UDP shares
    /// meet `condition` (at most 10 s), and returns the shares last shown.
    static func rates(in tmux: TmuxSession, until condition: ((http: Double, udp: Double)) -> Bool,
                      doing action: () -> Void) throws -> (http: Double, udp: Double) {
        let deadline = Date().addingTimeInterval(10)
        var shown = (http: 0.0, udp: 0.0)
        while Date() < deadline {
            action()
            let words = try tmux.screen()[3].split(separator: " ")
            func share(_ name: Substring) -> Double { words.firstIndex(of: name).flatMap { Double(words[$0 + 1]) } ?? -1 }
            shown = (share("HTTP"), share("UDP"))
            if condition(shown) { break }
            usleep(200_000)
        }
        return shown
    }

    @Test("colours by default, none with NO_COLOR; SIGTERM restores the terminal and exits 0")
    func colorsAndSignals() throws {
        for noColor in [false, true] {
            let port = try FreePort.find()
            let data = TrackerProcess.makeDataDirectory()
            defer { try? FileManager.default.removeItem(at: data) }
            let tmux = try TmuxSession([TrackerProcess.binary.path, "--store", "memory", "--http", "127.0.0.1:\(port)", "--data-dir", data.path],
                                       // Empty means unset (no-color.org): the test's own environment may carry NO_COLOR.
                                       environment: ["NO_COLOR": noColor ? "1" : ""])
            try tmux.waitFor("0 of 0 torrents")
            // Foreground/background colour sequences: ESC[3Xm / ESC[4Xm (or combined with ';').
            func hasColours(_ screen: String) -> Bool {
                screen.range(of: #"\e\[([0-9;]*;)?[34][0-7](;[0-9;]*)?m"#, options: .regularExpression) != nil
            }
            var screen = try tmux.screenWithAttributes()
            let deadline = Date().addingTimeInterval(5)
            while !noColor, !hasColours(screen), Date() < deadline {  // a refresh or two, if the first capture raced the first frame
                usleep(200_000)
                screen = try tmux.screenWithAttributes()
            }
            let colored = hasColours(screen)
            #expect(colored == !noColor, "NO_COLOR=\(noColor): colour sequences \(colored ? "present" : "absent") in:\n\(screen.debugDescription)")
            #expect(screen.contains("\u{1B}[7m") || screen.contains(";7m") || !noColor, "without colour the bars are drawn in reverse video")
            try tmux.signalProgram(SIGTERM)
            #expect(try tmux.exitStatus() == 0)
            try tmux.waitForScreen("the shell's screen back") { lines in !lines.contains { $0.hasPrefix("F1Help") } }
        }
    }

    @Test("outside a UTF-8 locale the dashboard draws ASCII only")
    func asciiFallback() throws {
        let port = try FreePort.find()
        let data = TrackerProcess.makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let tmux = try TmuxSession([TrackerProcess.binary.path, "--store", "memory", "--http", "127.0.0.1:\(port)", "--data-dir", data.path],
                                   environment: ["LANG": "C", "LC_ALL": "C"])
        try Self.waitUntilServing(port: port)
        _ = try HTTPProbe.get(host: "127.0.0.1", port: port, path: Self.announce(Self.hashes[0], id: 1, port: 6001, left: 0))
        let screen = try tmux.waitFor("1 of 1 torrents")
        #expect(screen.contains { $0.contains("SEEDv") }, "the sort mark is ASCII")
        #expect(screen.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) }, "\(screen.joined(separator: "\n"))")
        try tmux.send("q")
        try tmux.send("y")
        #expect(try tmux.exitStatus() == 0)
    }
}
