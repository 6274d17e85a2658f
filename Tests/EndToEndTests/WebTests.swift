import Foundation
import Glibc
import Testing
import TrackerEngine
import TrackerTestSupport

/// The web pages of the built binary: `/stats.json` (schema, paging, one torrent), `/metrics`
/// checked by `promtool` and scraped by a real Prometheus server, `/stats` loaded in headless
/// Chromium, and 403 for an address `--stats-allow` does not list.
@Suite("End to end: web pages", .serialized)
struct WebTests {
    static func hash(_ n: Int) -> InfoHash { InfoHash(hex: String(format: "%040x", 0xabc000 + n))! }

    /// A tracker with `count` torrents, torrent `i` having `i` leechers.
    static func tracker(torrents count: Int, extra: [String] = []) throws -> TrackerProcess {
        let tracker = try TrackerProcess(arguments: ["--store", "memory", "--stats-allow", "127.0.0.1"] + extra)
        for i in 1...count {
            for peer in 0..<i {
                _ = try HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: DashboardTmuxTests.announce(hash(i), id: 1000 * i + peer, port: 7000 + peer, left: 5))
            }
        }
        return tracker
    }

    /// Waits until the pages show `count` torrents: their listing is read in the background
    /// (every 30 s, and when a page finds it over 10 s old), so it trails announces by seconds.
    static func waitForListing(_ tracker: TrackerProcess, port: Int? = nil, torrents count: Int) throws {
        let shown = CatalogTests.waitUntil(seconds: 30) {
            let response = try? HTTPProbe.get(host: "127.0.0.1", port: port ?? tracker.port, path: "/stats.json?limit=1")
            let report = response.flatMap { try? JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any] }
            if (report?["summary"] as? [String: Any])?["torrents"] as? Int == count { return true }
            usleep(500_000)
            return false
        }
        #expect(shown, "the pages never showed \(count) torrents")
    }

    /// The JSON at `path`, checked against `docs/stats.schema.json`.
    static func json(_ tracker: TrackerProcess, _ path: String) throws -> [String: Any] {
        let response = try HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: path)
        #expect(response.status == 200 && response.head.lowercased().contains("content-type: application/json"), "\(response.head)")
        let check = try checkSchema(response.body)
        #expect(check.valid, "\(path) against docs/stats.schema.json: \(check.message)")
        return try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    static let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/stats.schema.json").standardized.path

    /// Validates `json` against the documented schema with python3-jsonschema (the schema itself
    /// checked first against its draft's meta-schema).
    static func checkSchema(_ json: [UInt8]) throws -> (valid: Bool, message: String) {
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.validators.validator_for(schema).check_schema(schema)
            try:
                jsonschema.validate(json.load(sys.stdin), schema)
            except jsonschema.ValidationError as error:
                print(error.message, list(error.absolute_path))
                sys.exit(1)
            print("valid")
            """
        let run = try Self.run("/usr/bin/python3", ["-c", script, schema], input: json)
        return (run.status == 0 && run.output == "valid\n", run.output)
    }

    @Test("/stats.json: summary, torrents sorted and paged, one torrent by hash; 403 from an address not allowed")
    func statsJSON() throws {
        let tracker = try Self.tracker(torrents: 5)
        defer { _ = tracker.stop() }
        try Self.waitForListing(tracker, torrents: 5)
        let report = try Self.json(tracker, "/stats.json")
        let summary = try #require(report["summary"] as? [String: Any])
        #expect(summary["torrents"] as? Int == 5 && summary["leechers"] as? Int == 15 && summary["nodes"] as? Int == 1)
        #expect(summary["http_connections"] as? Int == 1 && (summary["store"] as? [String: Any])?["state"] as? String == "in_process")
        let requests = try #require((summary["requests"] as? [String: Any])?["http"] as? [String: Any])
        #expect(requests["announces"] as? Int == 15)
        let torrents = try #require(report["torrents"] as? [String: Any])
        let items = try #require(torrents["items"] as? [[String: Any]])
        // The default order: seeders, most first (all have none here), ties reversed with it: by info-hash, highest first.
        #expect(torrents["sort"] as? String == "seeders" && torrents["descending"] as? Bool == true)
        #expect(items.map { $0["leechers"] as? Int } == [5, 4, 3, 2, 1].map { Optional($0) }, "\(items)")

        let paged = try #require(try Self.json(tracker, "/stats.json?sort=leechers&order=asc&limit=2&offset=1")["torrents"] as? [String: Any])
        #expect((paged["items"] as? [[String: Any]])?.map { $0["leechers"] as? Int } == [2, 3], "\(paged)")
        #expect(paged["total"] as? Int == 5 && paged["limit"] as? Int == 2)

        let one = try Self.json(tracker, "/stats.json?torrent=\(Self.hash(3).hex)")
        #expect((one["torrent"] as? [String: Any])?["leechers"] as? Int == 3 && one["peers"] as? Int == 3)
        #expect(one["peer_list"] == nil, "peers listed only when asked for")
        let listed = try Self.json(tracker, "/stats.json?torrent=\(Self.hash(3).hex)&peers=2")
        let peers = try #require(listed["peer_list"] as? [[String: Any]])
        #expect(peers.map { $0["address"] as? String } == ["127.0.0.1:7000", "127.0.0.1:7001"], "the first two by address: \(peers)")
        #expect(peers.first?["seeder"] as? Bool == false && peers.first?["left"] as? Int == 5)

        // The schema check can fail: a report without its summary, and one with a field it does not document.
        var doctored = report
        doctored["summary"] = nil
        #expect(try !Self.checkSchema(Array(try JSONSerialization.data(withJSONObject: doctored))).valid)
        doctored = report
        doctored["extra"] = 1
        #expect(try !Self.checkSchema(Array(try JSONSerialization.data(withJSONObject: doctored))).valid)
        let missing = try HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: "/stats.json?torrent=\(String(repeating: "0", count: 40))")
        #expect(missing.status == 404)

        let refused = try HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: "/stats.json", source: "127.0.0.2")
        #expect(refused.status == 403, "127.0.0.2 is not in --stats-allow 127.0.0.1")
        #expect(try HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: "/metrics", source: "127.0.0.2").status == 403)
        #expect(tracker.stop() == 0)
    }

    @Test("--admin: the pages on their own listener only; the tracker's listener answers them 404, the admin listener announces 404")
    func adminListener() throws {
        let admin = try FreePort.find()
        let tracker = try TrackerProcess(arguments: ["--store", "memory", "--admin", "127.0.0.1:\(admin)"])
        defer { _ = tracker.stop() }
        #expect(try HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: "/stats.json").status == 404)
        #expect(try HTTPProbe.get(host: "127.0.0.1", port: admin, path: "/stats.json").status == 200)
        #expect(try HTTPProbe.get(host: "127.0.0.1", port: admin, path: "/metrics").status == 200)
        #expect(try HTTPProbe.get(host: "127.0.0.1", port: admin, path: DashboardTmuxTests.announce(Self.hash(1), id: 1, port: 7000, left: 5)).status == 404)
        #expect(try DashboardTmuxTests.failureReason(HTTPProbe.get(host: "127.0.0.1", port: tracker.port,
                                                                   path: DashboardTmuxTests.announce(Self.hash(1), id: 1, port: 7000, left: 5))) == nil)
        #expect(tracker.log.contains("admin="), "\(tracker.log)")
        #expect(tracker.stop() == 0)
    }

    @Test("/metrics passes promtool and a real Prometheus server scrapes it: trackertui_announces_total comes back from its query API")
    func prometheus() throws {
        let tracker = try Self.tracker(torrents: 2)
        defer { _ = tracker.stop() }
        #expect(try DashboardTmuxTests.failureReason(HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: "/announce?port=1")) == "missing info_hash")
        try Self.waitForListing(tracker, torrents: 2)
        let metrics = try HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: "/metrics")
        #expect(metrics.status == 200 && metrics.head.contains("text/plain; version=0.0.4"))
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(text.contains("trackertui_announces_total{protocol=\"http\",result=\"ok\"} 3"), "\(text)")
        #expect(text.contains("trackertui_announces_total{protocol=\"http\",result=\"refused\"} 1"), "the announce without an info_hash")
        #expect(text.contains("trackertui_announces_total{protocol=\"udp\",result=\"ok\"} 0"))
        #expect(text.contains("trackertui_torrents 2") && text.contains("trackertui_peers{role=\"leecher\"} 3"))
        #expect(text.contains("trackertui_http_connections 1"), "the scrape's own connection is open")

        let check = try Self.run("/usr/bin/promtool", ["check", "metrics"], input: metrics.body)
        #expect(check.status == 0, "promtool: \(check.output)")

        let directory = TrackerProcess.makeDataDirectory()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("prometheus.yml")
        try """
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            scrape_configs:
              - job_name: trackertui
                static_configs: [{targets: ["127.0.0.1:\(tracker.port)"]}]

            """.write(to: config, atomically: true, encoding: .utf8)
        let port = try FreePort.find()
        let server = try ChildProcess(executable: "/usr/bin/prometheus",
                                      arguments: ["--config.file=\(config.path)", "--storage.tsdb.path=\(directory.appendingPathComponent("tsdb").path)",
                                                  "--web.listen-address=127.0.0.1:\(port)"],
                                      outputPath: directory.appendingPathComponent("prometheus.log").path)
        defer {
            server.signal(SIGTERM)
            if !server.wait(timeout: 10) { server.signal(SIGKILL) }
        }
        var answer = ""
        let found = CatalogTests.waitUntil(seconds: 40) {
            answer = (try? HTTPProbe.get(host: "127.0.0.1", port: port, path: "/api/v1/query?query=trackertui_announces_total%7Bprotocol%3D%22http%22%2Cresult%3D%22ok%22%7D"))
                .map { String(decoding: $0.body, as: UTF8.self) } ?? ""
            return answer.contains("\"value\":[") && answer.contains("\"3\"]")
        }
        #expect(found, "Prometheus's answer: \(answer)")
    }

    @Test("Redis store: /metrics's round-trip histogram counts the announces' batches; /stats.json shows the store connected, within the schema")
    func redisRoundTrips() throws {
        let tracker = try TrackerProcess(arguments: ["--redis", TestRedis.shared.url, "--redis-prefix", TestRedis.uniquePrefix(), "--stats-allow", "127.0.0.1"])
        defer { _ = tracker.stop() }
        for peer in 0..<3 {
            #expect(try DashboardTmuxTests.failureReason(HTTPProbe.get(host: "127.0.0.1", port: tracker.port,
                                                                       path: DashboardTmuxTests.announce(Self.hash(1), id: peer, port: 7000 + peer, left: 5))) == nil)
        }
        let text = String(decoding: try HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: "/metrics").body, as: UTF8.self)
        let count = text.split(separator: "\n").first { $0.hasPrefix("trackertui_store_round_trip_seconds_count ") }
            .flatMap { Int($0.split(separator: " ").last ?? "") }
        #expect((count ?? 0) >= 3, "one batch per announce at least, answered one by one: \(count.map(String.init) ?? text)")
        #expect(text.contains("trackertui_store_up 1"))
        let report = try Self.json(tracker, "/stats.json?fresh=1")
        #expect(((report["summary"] as? [String: Any])?["store"] as? [String: Any])?["state"] as? String == "connected")
        #expect((report["summary"] as? [String: Any])?["leechers"] as? Int == 3, "fresh=1: a listing read after the announces")
        #expect(tracker.stop() == 0)
    }

    @Test("/stats in headless Chromium: the summary, a torrent row with its escaped name, sorting by a column header's link")
    func statsPage() throws {
        let root = CatalogTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let expected = try CatalogTests.makeTorrents(in: root)
        let single = InfoHash(hex: try #require(expected["mk-single.torrent"]?.v1))!
        let tracker = try Self.tracker(torrents: 3, extra: ["--torrents", root.appendingPathComponent("torrents").path])
        defer { _ = tracker.stop() }
        _ = try HTTPProbe.get(host: "127.0.0.1", port: tracker.port, path: DashboardTmuxTests.announce(single, id: 9, port: 7999, left: 0))
        try Self.waitForListing(tracker, torrents: 4)

        let dom = try Self.chromium(["--dump-dom", "http://127.0.0.1:\(tracker.port)/stats?sort=leechers&order=desc"])
        #expect(dom.contains("id=\"summary\"") && dom.contains("<svg id=\"chart\""), "\(dom.prefix(400))")
        #expect(dom.contains(">single.bin</td>"), "the catalog's name")
        let rows = dom.components(separatedBy: "<tr><td class=\"n\"").dropFirst().map { String($0.prefix(400)) }
        #expect(rows.count == 4)
        let leechers = rows.compactMap { row in row.components(separatedBy: "<td>").dropFirst(3).first.flatMap { Int($0.prefix { $0.isNumber }) } }
        #expect(leechers == [3, 2, 1, 0], "sorted by leechers, most first: \(leechers)")

        let screenshot = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("trackertui-stats.png")
        _ = try Self.chromium(["--screenshot=\(screenshot.path)", "--window-size=1200,900", "http://127.0.0.1:\(tracker.port)/stats"])
        #expect(((try? FileManager.default.attributesOfItem(atPath: screenshot.path)[.size] as? Int) ?? 0) > 10_000, "a screenshot at \(screenshot.path)")
    }

    /// Runs headless Chromium with `arguments`; what it printed on stdout.
    static func chromium(_ arguments: [String]) throws -> String {
        let profile = NSTemporaryDirectory() + "tt-chromium-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let run = try Self.run("/usr/bin/chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile)",
                                                     "--virtual-time-budget=3000"] + arguments, input: [], timeout: 60)
        return run.output
    }

    /// Runs a program to completion (killed after `timeout` seconds): its exit status and stdout.
    static func run(_ path: String, _ arguments: [String], input: [UInt8], timeout: Double = 30) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try? stdin.fileHandleForWriting.close()
        let deadline = DispatchTime.now() + timeout
        DispatchQueue.global().asyncAfter(deadline: deadline) { if process.isRunning { process.terminate() } }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
