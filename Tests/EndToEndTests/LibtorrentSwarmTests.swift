import Foundation
import Testing

/// Real BitTorrent clients (python3-libtorrent from Debian) complete a download through the built
/// tracker on loopback, with the tracker as their only source of peers.
@Suite("End to end: libtorrent", .serialized)
struct LibtorrentSwarmTests {
    static let python = "/usr/bin/python3"
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/libtorrent_swarm.py")

    @Test("one seeder and two leechers complete a payload; scrape counts follow, before and after a stopped",
          arguments: ["memory", "redis"])
    func swarmCompletes(store: String) throws {
        // With redis, the tracker's own managed redis-server.
        let tracker = try TrackerProcess(arguments: ["--store", store, "--interval", "5", "--min-interval", "1"])
        try Self.swarm(through: "http://127.0.0.1:\(tracker.port)/announce", tracker: tracker)
    }

    @Test("the same through a udp:// tracker URL (BEP 15), over IPv4 and IPv6, with both stores",
          arguments: [("memory", "127.0.0.1"), ("redis", "127.0.0.1"), ("memory", "::1"), ("redis", "::1")])
    func swarmCompletesOverUDP(store: String, host: String) throws {
        let tracker = try TrackerProcess(arguments: ["--store", store, "--interval", "5", "--min-interval", "1"], host: host, udp: true)
        let address = host.contains(":") ? "[\(host)]:\(tracker.port)" : "\(host):\(tracker.port)"
        try Self.swarm(through: "udp://\(address)/announce", scrape: "http://\(address)/announce",
                       listen: host.contains(":") ? "[::1]:0" : "127.0.0.1:0", tracker: tracker)
    }

    /// Runs the libtorrent script against `url` and checks the download and the scrapes.
    static func swarm(through url: String, scrape: String? = nil, listen: String = "127.0.0.1:0", tracker: TrackerProcess) throws {
        let workdir = tracker.dataDirectory.appendingPathComponent("swarm")
        try FileManager.default.createDirectory(at: workdir, withIntermediateDirectories: true)

        let run = Process()
        run.executableURL = URL(fileURLWithPath: Self.python)
        run.arguments = [Self.script.path, "--tracker", url, "--scrape", scrape ?? url, "--listen", listen,
                         "--workdir", workdir.path, "--timeout", "90"]
        let output = Pipe()
        run.standardOutput = output
        try run.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        run.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)

        let result = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "script printed: \(text)")
        #expect(run.terminationStatus == 0, "libtorrent run failed: \(text)\ntracker log:\n\(tracker.log)")
        #expect(result["ok"] as? Bool == true, "\(result["error"] ?? "no error") — \(text)")
        let trackerLog = result["tracker_log"] as? [String] ?? []
        #expect(trackerLog.contains { $0.contains("tracker_reply_alert") && $0.contains(url) }, "replies came from \(url): \(trackerLog)")

        func counts(_ key: String) -> [Int] {
            guard let scrape = result[key] as? [String: Any] else { return [] }
            return ["complete", "incomplete", "downloaded"].map { scrape[$0] as? Int ?? -1 }
        }
        #expect(counts("scrape_before") == [1, 0, 0], "the seeder alone")
        #expect(counts("scrape_after_complete") == [3, 0, 2], "three seeders, two completions")
        #expect(counts("scrape_after_stop") == [2, 0, 2], "a stopped leaves; completions stay")
        #expect(tracker.stop() == 0, "SIGTERM shuts down cleanly")
    }
}
