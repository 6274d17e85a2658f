import Foundation
import Glibc
import Testing
import TrackerEngine
import TrackerTestSupport

/// Deregistering in the built binary: `trackertui torrents deregister` against a running
/// tracker on each store, closed mode refusing the torrent afterwards, the archive listing it
/// with its catalog name and history; and in the dashboard, `d` then `y`, and the archive view.
@Suite("End to end: torrent lifecycle", .serialized)
struct LifecycleTests {
    enum StoreKind: String, CaseIterable, Sendable { case memory, redis }

    @Test("torrents deregister: the running tracker refuses the torrent in closed mode, and torrents archive lists it with its name and completions",
          arguments: StoreKind.allCases)
    func commandLine(store: StoreKind) throws {
        let root = CatalogTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let expected = try CatalogTests.makeTorrents(in: root)
        let single = InfoHash(hex: try #require(expected["mk-single.torrent"]?.v1))!
        let multi = InfoHash(hex: try #require(expected["mk-album.torrent"]?.v1))!
        let redis = TestRedis.shared, prefix = TestRedis.uniquePrefix()
        let storeArguments = store == .memory ? ["--store", "memory"] : ["--redis", redis.url, "--redis-prefix", prefix]
        let tracker = try TrackerProcess(arguments: storeArguments + ["--mode", "closed", "--torrents", root.appendingPathComponent("torrents").path])
        defer { _ = tracker.stop() }
        // A leecher that completes, so the archive has a completion to keep.
        _ = try HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: DashboardTmuxTests.announce(single, id: 1, port: 7301, left: 5) + "&event=started")
        _ = try HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: DashboardTmuxTests.announce(single, id: 1, port: 7301, left: 0) + "&event=completed")
        #expect(try CatalogTests.refusal(tracker, single, id: 2) == nil)

        let target = ["--store", store.rawValue, "--data-dir", tracker.dataDirectory.path] + (store == .redis ? ["--redis", redis.url, "--redis-prefix", prefix] : [])
        let run = try TrackerProcess.command(["torrents", "deregister", single.hex] + target)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(CatalogTests.waitUntil(seconds: 10) { (try? CatalogTests.refusal(tracker, single, id: 3)) == "torrent not registered with this tracker" },
                "refused once the tracker follows the change")
        #expect(try CatalogTests.refusal(tracker, multi, id: 4) == nil, "the other catalog torrents stay tracked")

        var listing = ""
        #expect(CatalogTests.waitUntil(seconds: 5) {
            listing = (try? TrackerProcess.command(["torrents", "archive"] + target).stdout) ?? ""
            return listing.contains(single.hex)
        }, "archived: \(listing)")
        let line = try #require(listing.split(separator: "\n").first { $0.contains(single.hex) }).split(separator: "\t", omittingEmptySubsequences: false)
        #expect(line.count == 6 && line[3] == "1" && line[5] == "single.bin", "1 completed, the catalog's name: \(line)")
        #expect(line[2] != "-", "registered when the catalog first read it")

        #expect(try TrackerProcess.command(["torrents", "register", single.hex] + target).status == 0)
        #expect(CatalogTests.waitUntil(seconds: 10) { (try? CatalogTests.refusal(tracker, single, id: 5)) == .some(nil) }, "tracked again")
        #expect(tracker.stop() == 0)
    }

    @Test("dashboard: d then y deregisters the selected torrent; A lists it in the archive; the access view lifts it")
    func dashboard() throws {
        let root = CatalogTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let expected = try CatalogTests.makeTorrents(in: root)
        let single = InfoHash(hex: try #require(expected["mk-single.torrent"]?.v1))!
        let port = try FreePort.find()
        let tmux = try TmuxSession([TrackerProcess.binary.path, "--store", "memory", "--http", "127.0.0.1:\(port)", "--mode", "closed",
                                    "--data-dir", root.path, "--torrents", root.appendingPathComponent("torrents").path])
        try DashboardTmuxTests.waitUntilServing(port: port)
        _ = try HTTPProbe.get(host: "127.0.0.1", port: port, path: DashboardTmuxTests.announce(single, id: 1, port: 7401, left: 0))
        try tmux.waitFor("1 of 1 torrents")
        try tmux.send("d")
        try tmux.waitFor("Deregister \"single.bin\": drop its swarm and archive its history? (y/n)")
        try tmux.send("y")
        try tmux.waitFor("its history is in the archive (A)")
        #expect(try DashboardTmuxTests.failureReason(HTTPProbe.get(host: "127.0.0.1", port: port,
                                                                   path: DashboardTmuxTests.announce(single, id: 2, port: 7402, left: 5)))
                == "torrent not registered with this tracker")
        try tmux.send("A")
        let screen = try tmux.waitFor("1 deregistered torrents")
        #expect(screen.contains { $0.contains("single.bin  \(single.hex.prefix(8))") }, "\(screen)")
        try tmux.send("B")
        try tmux.waitFor("1 deregistered")
        try tmux.send("u")
        try tmux.waitFor("Register \"single.bin\" again")
        try tmux.send("y")
        try tmux.waitFor("Registered \(single.hex.prefix(16))… again.")
        #expect(try DashboardTmuxTests.failureReason(HTTPProbe.get(host: "127.0.0.1", port: port,
                                                                   path: DashboardTmuxTests.announce(single, id: 3, port: 7403, left: 5))) == nil)
        try tmux.send("q")
        try tmux.waitFor("(y/n)")
        try tmux.send("y")
        #expect(try tmux.exitStatus() == 0)
        let archive = try String(contentsOf: root.appendingPathComponent("archive"), encoding: .utf8)
        #expect(archive.contains(single.hex) && archive.contains("single.bin"), "the memory store's archive file: \(archive)")
    }
}
