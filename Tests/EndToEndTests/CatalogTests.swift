import Foundation
import Glibc
import Logging
import Testing
import TrackerEngine
import TrackerTestSupport

/// The catalog against .torrent files made by real tools (mktorrent; libtorrent's create_torrent
/// for v1, v2 and hybrid torrents), broken and hostile files beside them, the directory watch,
/// and closed mode in the built binary.
@Suite("End to end: torrent catalog", .serialized)
struct CatalogTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/make_torrents.py")

    /// What libtorrent read from each file the script made.
    struct Expected {
        var name: String
        var v1: String?
        var v2: String?
        var size: UInt64
        var files: Int
        var pieceLength: Int
        var isPrivate: Bool
    }

    /// Makes content and torrents under `root`/torrents; returns libtorrent's reading of each.
    static func makeTorrents(in root: URL) throws -> [String: Expected] {
        let run = Process()
        run.executableURL = URL(fileURLWithPath: LibtorrentSwarmTests.python)
        run.arguments = [script.path, root.path]
        let output = Pipe()
        run.standardOutput = output
        try run.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        run.waitUntilExit()
        guard run.terminationStatus == 0, let json = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else {
            throw E2EError("make_torrents.py failed: \(String(decoding: data, as: UTF8.self))")
        }
        return json.mapValues { item in
            Expected(name: item["name"] as? String ?? "", v1: item["v1"] as? String, v2: item["v2"] as? String,
                     size: UInt64(item["size"] as? Int ?? -1), files: item["files"] as? Int ?? -1,
                     pieceLength: item["piece_length"] as? Int ?? -1, isPrivate: item["private"] as? Bool ?? false)
        }
    }

    static func temporaryDirectory() -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("tt-catalog-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("torrents from mktorrent and libtorrent (v1, v2, hybrid; one file and many; private) read as libtorrent reads them")
    func realTorrents() throws {
        let root = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let expected = try Self.makeTorrents(in: root)
        #expect(expected.count == 5)
        let scan = CatalogScanner(directories: [root.appendingPathComponent("torrents").path]).scan()
        #expect(scan.problems.isEmpty, "\(scan.problems)")
        for (file, want) in expected {
            let entry = try #require(scan.entries.first { $0.path.hasSuffix("/" + file) }, "\(file) was read")
            let got = entry.metainfo
            #expect(got.name == want.name && got.totalLength == want.size && got.fileCount == want.files, "\(file): \(got)")
            #expect(got.pieceLength == want.pieceLength && got.isPrivate == want.isPrivate, "\(file): \(got)")
            #expect(got.v1?.hex == want.v1 && got.v2?.hex == want.v2, "\(file): info-hashes \(got.infoHashes) against \(want)")
        }
        let catalog = TorrentCatalog()
        catalog.replace(with: scan.entries)
        let hybrid = try #require(expected["lt-hybrid.torrent"])
        let byV1 = catalog.entry(for: InfoHash(hex: hybrid.v1!)!), byV2 = catalog.entry(for: InfoHash(hex: hybrid.v2!)!)
        #expect(byV1 != nil && byV1 == byV2, "a hybrid torrent is found under both its hashes")
    }

    @Test("broken and hostile files are reported with their path and skipped; the good ones still load")
    func brokenFiles() throws {
        let root = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try Self.makeTorrents(in: root)
        let torrents = root.appendingPathComponent("torrents")
        let good = try Data(contentsOf: torrents.appendingPathComponent("mk-album.torrent"))
        let bad: [String: Data] = [
            "truncated.torrent": good.prefix(good.count / 2),
            "garbage.torrent": Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }),
            "no-info.torrent": Data("d8:announce3:urle".utf8),
            "negative.torrent": Data("d4:infod6:lengthi-5e4:name1:x12:piece lengthi16384e6:pieces0:ee".utf8),
            "overflow.torrent": Data(("d4:infod5:filesl" + String(repeating: "d6:lengthi9223372036854775807e4:pathl1:aee", count: 3)
                                      + "e4:name1:x12:piece lengthi16384e6:pieces0:ee").utf8),
            "deep.torrent": Data(("d4:infod4:name1:x12:piece lengthi16384e6:pieces0:9:file tree" + String(repeating: "l", count: 100_000)).utf8),
        ]
        for (name, bytes) in bad { try bytes.write(to: torrents.appendingPathComponent(name)) }
        // A 100 MB file (sparse: no disk used): refused by its size before any byte is read.
        let huge = torrents.appendingPathComponent("huge.torrent").path
        _ = FileManager.default.createFile(atPath: huge, contents: nil)
        #expect(truncate(huge, 100 << 20) == 0)

        // A FIFO named like a torrent: skipped, never opened (opening it would wait for a writer).
        #expect(mkfifo(torrents.appendingPathComponent("fifo.torrent").path, 0o600) == 0)

        let scanner = CatalogScanner(directories: [torrents.path])
        let scan = scanner.scan()
        #expect(scan.entries.count == 5, "the five good files")
        let reported = Set(scan.problems.map { URL(fileURLWithPath: $0.path).lastPathComponent })
        #expect(reported == Set(bad.keys).union(["huge.torrent"]), "\(scan.problems)")
        let again = scanner.scan()
        #expect(again.problems.isEmpty && !again.changed, "an unchanged broken file is reported once")
    }

    @Test("the directory is watched: a file added or removed is picked up within 5 s (inotify; the poll is set to a minute)")
    func watched() throws {
        let root = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let expected = try Self.makeTorrents(in: root)
        let watchedDirectory = root.appendingPathComponent("watched/sub")
        try FileManager.default.createDirectory(at: watchedDirectory, withIntermediateDirectories: true)
        let watcher = CatalogWatcher(directories: [root.appendingPathComponent("watched").path], pollSeconds: 60,
                                     logger: Logger(label: "test"))
        watcher.start()
        defer { watcher.stop() }
        let hash = InfoHash(hex: try #require(expected["mk-single.torrent"]?.v1))!
        #expect(watcher.catalog.entry(for: hash) == nil)

        let target = watchedDirectory.appendingPathComponent("added.torrent")
        try FileManager.default.copyItem(at: root.appendingPathComponent("torrents/mk-single.torrent"), to: target)
        #expect(Self.waitUntil(seconds: 5) { watcher.catalog.entry(for: hash) != nil }, "added in a subdirectory")
        try FileManager.default.removeItem(at: target)
        #expect(Self.waitUntil(seconds: 5) { watcher.catalog.entry(for: hash) == nil }, "removed")
    }

    /// The failure reason an announce for `hash` by leecher `id` gets from `tracker`, nil for none.
    static func refusal(_ tracker: TrackerProcess, _ hash: InfoHash, id: Int) throws -> String? {
        try DashboardTmuxTests.failureReason(HTTPProbe.get(host: "127.0.0.1", port: tracker.port,
                                                           path: DashboardTmuxTests.announce(hash, id: id, port: 7000 + id, left: 5)))
    }

    static func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }

    @Test("closed mode: catalog and whitelist torrents are tracked, others refused over HTTP and UDP; SIGHUP reads the whitelist again")
    func closedMode() throws {
        let root = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let expected = try Self.makeTorrents(in: root)
        let whitelist = root.appendingPathComponent("whitelist")
        let listed = InfoHash(hex: String(repeating: "ab", count: 20))!, later = InfoHash(hex: String(repeating: "cd", count: 20))!
        try "# trackertui test\n\(listed.hex)\n".write(to: whitelist, atomically: true, encoding: .utf8)
        let tracker = try TrackerProcess(arguments: ["--store", "memory", "--mode", "closed", "--torrents", root.appendingPathComponent("torrents").path,
                                                     "--whitelist", whitelist.path], udp: true)
        func reason(_ hash: InfoHash, id: Int) throws -> String? { try Self.refusal(tracker, hash, id: id) }
        let hybrid = try #require(expected["lt-hybrid.torrent"])
        #expect(try reason(InfoHash(hex: hybrid.v1!)!, id: 1) == nil, "the catalog's torrent, by its v1 hash")
        #expect(try reason(InfoHash(hex: hybrid.v2!)!, id: 2) == nil, "and by its truncated v2 hash")
        #expect(try reason(listed, id: 3) == nil, "a whitelisted torrent")
        #expect(try reason(later, id: 4) == "torrent not registered with this tracker")

        let udp = try UDPProbe(port: tracker.port)
        let refused = try #require(udp.exchange(UDPProbe.announce(try udp.connect(), hash: later, peer: 5)))
        #expect(Array(refused[0..<4]) == [0, 0, 0, 3] && String(decoding: refused[8...], as: UTF8.self) == "torrent not registered with this tracker")

        try "\(listed.hex)\n\(later.hex)\n".write(to: whitelist, atomically: true, encoding: .utf8)
        kill(tracker.process.pid, SIGHUP)
        #expect(Self.waitUntil(seconds: 3) { (try? reason(later, id: 6)) == .some(nil) }, "whitelisted after SIGHUP")

        // Dropped from the whitelist again, `later` keeps its swarm for a while, but a scrape
        // leaves it out.
        try "\(listed.hex)\n".write(to: whitelist, atomically: true, encoding: .utf8)
        kill(tracker.process.pid, SIGHUP)
        #expect(Self.waitUntil(seconds: 3) { (try? reason(later, id: 7)) == "torrent not registered with this tracker" })
        let query = [listed, later].map { "info_hash=" + $0.bytes.map { String(format: "%%%02X", $0) }.joined() }.joined(separator: "&")
        let scrape = try BencodeValue.decode(HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: "/scrape?" + query).body)
        #expect(scrape["files"]?.dictionary.map { Set($0.keys) } == [listed.bytes], "a scrape leaves the unregistered torrent out")
        #expect(tracker.log.contains("files=5 torrents=6") && tracker.log.contains("catalog loaded"), "five files, six hashes: \(tracker.log)")
        #expect(tracker.stop() == 0)
    }

    @Test("the dashboard shows a catalog torrent's name and size instead of its hex, the filter finds it by name, i shows its details")
    func dashboardNames() throws {
        let root = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let expected = try Self.makeTorrents(in: root)
        let single = InfoHash(hex: try #require(expected["mk-single.torrent"]?.v1))!
        let port = try FreePort.find()
        let tmux = try TmuxSession([TrackerProcess.binary.path, "--store", "memory", "--http", "127.0.0.1:\(port)",
                                    "--data-dir", root.path, "--torrents", root.appendingPathComponent("torrents").path])
        try DashboardTmuxTests.waitUntilServing(port: port)
        let unknown = InfoHash(hex: String(repeating: "ee", count: 20))!
        for (id, hash) in [single, unknown].enumerated() {
            _ = try HTTPProbe.get(host: "127.0.0.1", port: port, path: DashboardTmuxTests.announce(hash, id: id, port: 7100 + id, left: 5))
        }
        var screen = try tmux.waitFor("2 of 2 torrents")
        let row = try #require(screen.first { $0.hasPrefix("single.bin") }, "the name, not the hex: \(screen)")
        #expect(row.contains(" 292K "), "its size (300,000 bytes): \(row)")
        #expect(screen.contains { $0.hasPrefix(unknown.hex.prefix(20)) }, "a torrent without a file keeps its hex")
        try tmux.send("/")
        try tmux.type("single")
        try tmux.send("Enter")
        screen = try tmux.waitFor("1 of 2 torrents")
        #expect(screen.contains { $0.hasPrefix("single.bin") })
        try tmux.send("i")
        screen = try tmux.waitFor("Details of \(single.hex)")
        #expect(screen.contains { $0.hasPrefix(" info-hash v1    \(single.hex)") })
        #expect(screen.contains { $0.contains("(300000 bytes) in 1 file, pieces of 32K") }, "\(screen)")
        #expect(screen.contains { $0.hasPrefix(" torrent file    ") && $0.contains("mk-single.torrent") })
        try tmux.send("Escape")
        try tmux.waitFor("1 of 2 torrents")
        try tmux.send("q")
        try tmux.waitFor("(y/n)")
        try tmux.send("y")
        #expect(try tmux.exitStatus() == 0)
    }

    @Test("with Redis, a node's catalog is shared: a dashboard attached elsewhere shows the name, and a removed file's name goes")
    func sharedThroughRedis() throws {
        let root = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let expected = try Self.makeTorrents(in: root)
        let single = InfoHash(hex: try #require(expected["mk-single.torrent"]?.v1))!
        let redis = TestRedis.shared, prefix = TestRedis.uniquePrefix()
        let node = try TrackerProcess(arguments: ["--redis", redis.url, "--redis-prefix", prefix, "--torrents", root.appendingPathComponent("torrents").path])
        _ = try HTTPProbe.get(host: "127.0.0.1", port: node.port, path: DashboardTmuxTests.announce(single, id: 1, port: 7201, left: 0))
        let tmux = try TmuxSession([TrackerProcess.binary.path, "dashboard", "--redis", redis.url, "--redis-prefix", prefix,
                                    "--log-file", root.appendingPathComponent("dashboard.log").path])
        var screen = try tmux.waitFor("single.bin")
        #expect(screen.contains { $0.hasPrefix("single.bin") && $0.contains(" 292K ") }, "\(screen)")
        try FileManager.default.removeItem(at: root.appendingPathComponent("torrents/mk-single.torrent"))
        screen = try tmux.waitForScreen(timeout: 10, "the hex again once the file is gone") { lines in
            lines.contains { $0.hasPrefix(single.hex.prefix(20)) }
        }
        try tmux.send("q")
        #expect(try tmux.exitStatus() == 0)
        #expect(node.stop() == 0)
    }

    @Test("closed mode with Redis: a node without the files tracks the torrents another node's catalog and whitelist share; the access view shows them")
    func closedAcrossNodes() throws {
        let root = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let expected = try Self.makeTorrents(in: root)
        let album = InfoHash(hex: try #require(expected["mk-album.torrent"]?.v1))!
        let redis = TestRedis.shared, prefix = TestRedis.uniquePrefix()
        let shared = ["--redis", redis.url, "--redis-prefix", prefix, "--mode", "closed"]
        let listed = InfoHash(hex: String(repeating: "34", count: 20))!
        let whitelist = root.appendingPathComponent("whitelist")
        try "\(listed.hex)\n".write(to: whitelist, atomically: true, encoding: .utf8)
        let withFiles = try TrackerProcess(arguments: shared + ["--torrents", root.appendingPathComponent("torrents").path, "--whitelist", whitelist.path])
        // The node with the files publishes in the background: wait for it, then start the other.
        let redisConnection = try RedisConnection(redis.endpoint, timeout: 2)
        #expect(Self.waitUntil(seconds: 5) { (try? redisConnection.command(["GET", "\(prefix):catalog:version"]).integer) != nil })
        let without = try TrackerProcess(arguments: shared)
        func reason(_ node: TrackerProcess, _ hash: InfoHash, id: Int) throws -> String? { try Self.refusal(node, hash, id: id) }
        #expect(try reason(withFiles, album, id: 1) == nil)
        #expect(try reason(without, album, id: 2) == nil, "the other node read it from Redis before it listened")
        #expect(try reason(without, listed, id: 4) == nil, "and the whitelist")
        #expect(try reason(without, InfoHash(hex: String(repeating: "12", count: 20))!, id: 3) == "torrent not registered with this tracker")

        // An attached dashboard's access view: the nodes' mode, what is registered, the whitelist.
        let tmux = try TmuxSession([TrackerProcess.binary.path, "dashboard", "--redis", redis.url, "--redis-prefix", prefix,
                                    "--log-file", root.appendingPathComponent("dashboard.log").path])
        try tmux.waitFor("nodes 2")
        try tmux.send("B")
        let screen = try tmux.waitFor("Mode closed (7 torrents registered)")  // six hashes of five files, one whitelisted
        #expect(screen.contains { $0.hasPrefix("whitelist  \(listed.hex)") }, "\(screen)")
        try tmux.send("q")
        #expect(try tmux.exitStatus() == 0)
        #expect(withFiles.stop() == 0 && without.stop() == 0)
    }

    @Test("--blacklist FILE: its torrents are refused and persisted like the dashboard's; SIGHUP or a restart applies an edit, lifting what the file dropped")
    func blacklistFile() throws {
        let root = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = InfoHash(hex: String(repeating: "56", count: 20))!, second = InfoHash(hex: String(repeating: "78", count: 20))!
        let file = root.appendingPathComponent("refused.txt")
        try "# opentracker format\n\(first.hex)\n".write(to: file, atomically: true, encoding: .utf8)
        let data = root.appendingPathComponent("data")
        let tracker = try TrackerProcess(arguments: ["--store", "memory", "--blacklist", file.path], dataDirectory: data)
        func reason(_ hash: InfoHash, id: Int) throws -> String? { try Self.refusal(tracker, hash, id: id) }
        #expect(try reason(first, id: 1) == "torrent is blacklisted")
        #expect(try reason(second, id: 2) == nil)
        let persisted = try String(contentsOf: data.appendingPathComponent("blacklist"), encoding: .utf8)
        #expect(persisted.contains(first.hex), "kept with the moderation's own list: \(persisted)")

        try "\(second.hex)\n".write(to: file, atomically: true, encoding: .utf8)
        kill(tracker.process.pid, SIGHUP)
        #expect(Self.waitUntil(seconds: 3) { (try? reason(second, id: 3)) == .some("torrent is blacklisted") }, "the new line applies")
        #expect(try reason(first, id: 4) == nil, "the line the file dropped is lifted")

        // A missing file (a typo, a move) lifts nothing.
        try FileManager.default.removeItem(at: file)
        kill(tracker.process.pid, SIGHUP)
        #expect(Self.waitUntil(seconds: 3) { tracker.log.contains("blacklist file not read") }, "the SIGHUP was handled")
        #expect(try reason(second, id: 6) == "torrent is blacklisted", "still refused")
        #expect(tracker.stop() == 0)

        // A line removed while the tracker is down is lifted at the next start.
        try "# empty now\n".write(to: file, atomically: true, encoding: .utf8)
        let again = try TrackerProcess(arguments: ["--store", "memory", "--blacklist", file.path], dataDirectory: data)
        let lifted = try Self.refusal(again, second, id: 5)
        #expect(lifted == nil, "the file's own entry, remembered across the restart")
        #expect(again.stop() == 0)
    }
}
