import Foundation
import Glibc
import Testing
import TrackerEngine
import TrackerTestSupport

/// The admin commands against running trackers: `blacklist`, `ban`, `torrents list`, `peers`,
/// on the Redis store (changes reach the tracker through pub/sub) and the memory store (through
/// its data directory's files).
@Suite("End to end: admin commands", .serialized)
struct AdminCommandTests {
    static let hash = InfoHash(hex: "ad00ad00ad00ad00ad00ad00ad00ad00ad00ad00")!

    static func reason(_ port: Int, from source: String = "127.0.0.1", id: Int) throws -> String? {
        try DashboardTmuxTests.failureReason(HTTPProbe.get(host: "127.0.0.1", port: port,
                                                           path: DashboardTmuxTests.announce(hash, id: id, port: 7000 + id, left: 5), source: source))
    }

    @Test("Redis: blacklist add/list/remove and ban add/list/remove reach the running tracker; torrents list and peers read the store")
    func redis() throws {
        let redis = TestRedis.shared, prefix = TestRedis.uniquePrefix()
        let tracker = try TrackerProcess(arguments: ["--redis", redis.url, "--redis-prefix", prefix])
        defer { _ = tracker.stop() }
        let target = ["--redis", redis.url, "--redis-prefix", prefix]
        #expect(try Self.reason(tracker.port, id: 1) == nil)

        var run = try TrackerProcess.command(["torrents", "list", "--json"] + target)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]], "\(run)")
        #expect(items.first?["info_hash"] as? String == Self.hash.hex && items.first?["leechers"] as? Int == 1)
        run = try TrackerProcess.command(["peers", Self.hash.hex] + target)
        #expect(run.status == 0 && run.stdout.contains("127.0.0.1:7001\tleecher\tqBittorrent 4.5.2"), "\(run)")

        #expect(try TrackerProcess.command(["blacklist", "add", Self.hash.hex] + target).status == 0)
        #expect(CatalogTests.waitUntil(seconds: 5) { (try? Self.reason(tracker.port, id: 2)) == "torrent is blacklisted" })
        #expect(try TrackerProcess.command(["blacklist", "list"] + target).stdout == Self.hash.hex + "\n")
        #expect(try TrackerProcess.command(["blacklist", "remove", Self.hash.hex] + target).status == 0)
        #expect(CatalogTests.waitUntil(seconds: 5) { (try? Self.reason(tracker.port, id: 3)) == .some(nil) })

        #expect(try TrackerProcess.command(["ban", "add", "127.0.0.5", "--for", "30m"] + target).status == 0)
        #expect(CatalogTests.waitUntil(seconds: 5) { (try? Self.reason(tracker.port, from: "127.0.0.5", id: 4)) == "banned" })
        #expect(try Self.reason(tracker.port, from: "127.0.0.6", id: 5) == nil, "only the banned address")
        let bans = try TrackerProcess.command(["ban", "list"] + target).stdout
        #expect(bans.hasPrefix("127.0.0.5 "), "\(bans)")
        #expect(try TrackerProcess.command(["ban", "remove", "127.0.0.5"] + target).status == 0)
        #expect(CatalogTests.waitUntil(seconds: 5) { (try? Self.reason(tracker.port, from: "127.0.0.5", id: 6)) == .some(nil) })

        let bad = try TrackerProcess.command(["blacklist", "add", "xyz"] + target)
        #expect(bad.status == 64 && bad.stderr.contains("xyz: expected 40 hex digits"), "a usage error: \(bad)")
        let badBan = try TrackerProcess.command(["ban", "add", "10.0.0.1", "--for", "soon"] + target)
        #expect(badBan.status == 64 && badBan.stderr.contains("--for soon"))
        #expect(tracker.stop() == 0)
    }

    @Test("memory store: torrents list and peers ask the tracker's /stats.json (found through its data directory); a blacklist and a ban reach it through its files")
    func memory() throws {
        let tracker = try TrackerProcess(arguments: ["--store", "memory"])
        defer { _ = tracker.stop() }
        let target = ["--store", "memory", "--data-dir", tracker.dataDirectory.path]
        #expect(try Self.reason(tracker.port, id: 1) == nil)
        _ = try HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: DashboardTmuxTests.announce(Self.hash, id: 2, port: 7002, left: 0))

        // Right after the announces: the command asks for a listing read after it, not the last one.
        var run = try TrackerProcess.command(["torrents", "list", "--json"] + target)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]], "\(run)")
        #expect(items.count == 1 && items.first?["info_hash"] as? String == Self.hash.hex, "\(items)")
        #expect(items.first?["leechers"] as? Int == 1 && items.first?["seeders"] as? Int == 1 && items.first?["announces"] as? Int == 2)
        run = try TrackerProcess.command(["torrents", "list", "--sort", "announces", "--limit", "5"] + target)
        #expect(run.status == 0 && run.stdout.hasPrefix("info_hash\tname\tseeders") && run.stdout.contains(Self.hash.hex + "\t\t1\t1\t0\t2\t"), "\(run)")
        run = try TrackerProcess.command(["peers", Self.hash.hex] + target)
        #expect(run.status == 0 && run.stdout.contains("127.0.0.1:7001\tleecher\tqBittorrent 4.5.2\t") && run.stdout.contains("127.0.0.1:7002\tseeder\t"), "\(run)")
        run = try TrackerProcess.command(["peers", String(repeating: "e", count: 40), "--store", "memory", "--pages", "127.0.0.1:\(tracker.port)"])
        #expect(run.status == 0 && run.stdout == "address\trole\tclient\tpeer_id\tuploaded\tdownloaded\tleft\tlast_seen\n", "an unknown torrent has no peers: \(run)")
        run = try TrackerProcess.command(["peers", Self.hash.hex, "--store", "memory", "--pages", "localhost"])
        #expect(run.status == 64 && run.stderr.contains("--pages localhost"), "\(run)")

        #expect(try TrackerProcess.command(["blacklist", "add", Self.hash.hex] + target).status == 0)
        #expect(CatalogTests.waitUntil(seconds: 6) { (try? Self.reason(tracker.port, id: 3)) == "torrent is blacklisted" })
        #expect(try TrackerProcess.command(["ban", "add", "127.0.0.7/32", "--for", "forever"] + target).status == 0)
        #expect(try TrackerProcess.command(["ban", "list"] + target).stdout == "127.0.0.7 forever\n")
        #expect(tracker.stop() == 0)
        run = try TrackerProcess.command(["torrents", "list"] + target)
        #expect(run.status == 1 && run.stderr.contains("no tracker answers at 127.0.0.1:\(tracker.port)"), "stopped: \(run)")
    }
}

/// `--config FILE` and `TRACKERTUI_…` variables in the built binary.
@Suite("End to end: config file")
struct ConfigFileTests {
    @Test("serve takes its options from a TOML file and the environment, flags first; a bad key is an error naming the file and key")
    func configFile() throws {
        let directory = TrackerProcess.makeDataDirectory()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("trackertui.toml")
        try "store = \"memory\"\nmax-peers-per-ip = 1\nno_udp = true\n".write(to: config, atomically: true, encoding: .utf8)
        let tracker = try TrackerProcess(arguments: ["--config", config.path])
        defer { _ = tracker.stop() }
        let hash = AdminCommandTests.hash
        func reason(id: Int) throws -> String? {
            try DashboardTmuxTests.failureReason(HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: DashboardTmuxTests.announce(hash, id: id, port: 7100 + id, left: 5)))
        }
        #expect(try reason(id: 1) == nil)
        #expect(try reason(id: 2) == "too many peers from your address", "max-peers-per-ip = 1 from the file")
        #expect(tracker.log.contains("store=memory"), "\(tracker.log)")
        #expect(tracker.stop() == 0)

        try "max-torrents = \"many\"\n".write(to: config, atomically: true, encoding: .utf8)
        let bad = try TrackerProcess.command(["serve", "--config", config.path, "--store", "memory"])
        #expect(bad.status == 64 && bad.stderr.contains("config file \(config.path), key max-torrents"), "\(bad.stderr)")
        let env = try TrackerProcess.command(["serve", "--store", "memory"], environment: ["TRACKERTUI_MAX_TORRENTS": "0", "PATH": "/usr/bin:/bin"])
        #expect(env.status == 64 && env.stderr.contains("environment variable TRACKERTUI_MAX_TORRENTS"), "\(env.stderr)")
    }
}

/// `trackertui whitelist` editing a closed-mode tracker's `--whitelist` file.
@Suite("End to end: whitelist command")
struct WhitelistCommandTests {
    @Test("whitelist add and remove edit the file (comments kept); the tracker applies them on SIGHUP; list prints the file's hashes")
    func whitelist() throws {
        let directory = TrackerProcess.makeDataDirectory()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("whitelist")
        try "# our torrents\n".write(to: file, atomically: true, encoding: .utf8)
        let tracker = try TrackerProcess(arguments: ["--store", "memory", "--mode", "closed", "--whitelist", file.path])
        defer { _ = tracker.stop() }
        let hash = AdminCommandTests.hash
        #expect(try AdminCommandTests.reason(tracker.port, id: 1) == "torrent not registered with this tracker")

        #expect(try TrackerProcess.command(["whitelist", "add", hash.hex, "--file", file.path]).status == 0)
        kill(tracker.process.pid, SIGHUP)
        #expect(CatalogTests.waitUntil(seconds: 5) { (try? AdminCommandTests.reason(tracker.port, id: 2)) == .some(nil) }, "tracked after SIGHUP")
        #expect(try String(contentsOf: file, encoding: .utf8) == "# our torrents\n\(hash.hex)\n")
        #expect(try TrackerProcess.command(["whitelist", "list", "--file", file.path]).stdout == hash.hex + "\n")

        #expect(try TrackerProcess.command(["whitelist", "remove", hash.hex, "--file", file.path]).status == 0)
        kill(tracker.process.pid, SIGHUP)
        #expect(CatalogTests.waitUntil(seconds: 5) { (try? AdminCommandTests.reason(tracker.port, id: 3)) == "torrent not registered with this tracker" })
        #expect(try String(contentsOf: file, encoding: .utf8) == "# our torrents\n")
        #expect(tracker.stop() == 0)
    }
}
