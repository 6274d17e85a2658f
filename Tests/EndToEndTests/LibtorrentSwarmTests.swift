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
        let workdir = tracker.dataDirectory.appendingPathComponent("swarm")
        try FileManager.default.createDirectory(at: workdir, withIntermediateDirectories: true)

        let run = Process()
        run.executableURL = URL(fileURLWithPath: Self.python)
        run.arguments = [Self.script.path, "--tracker", "http://127.0.0.1:\(tracker.port)/announce",
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
