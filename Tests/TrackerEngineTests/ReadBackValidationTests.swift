import Foundation
import Logging
import Testing
@testable import TrackerEngine
import TrackerTestSupport

/// Values read back from files and Redis are outside input too: a bad one is skipped or clamped,
/// never a crash (an overflow trap at every start was the old behaviour).
@Suite("Read-back validation")
struct ReadBackValidationTests {
    static let now = TrackerTime(seconds: 1_700_000_000)

    @Test("times saturate instead of overflowing: huge seconds, huge additions, ±inf scores, NaN")
    func timesSaturate() {
        #expect(TrackerTime(seconds: 99_999_999_999_999_999) == .distantFuture)
        #expect(TrackerTime(seconds: -99_999_999_999_999_999).milliseconds == .min)
        #expect(Self.now.adding(seconds: .max) == .distantFuture)
        #expect(TrackerTime.distantFuture.adding(seconds: 60) == .distantFuture)
        #expect(TrackerTime(milliseconds: Double.infinity) == .distantFuture)
        #expect(TrackerTime(milliseconds: -Double.infinity)?.milliseconds == .min)
        #expect(TrackerTime(milliseconds: Double.nan) == nil)
        #expect(TrackerTime(milliseconds: 1.5e12)?.milliseconds == 1_500_000_000_000)
    }

    @Test("a bans file with a huge deadline and broken lines: valid lines apply, each bad line is reported with its number")
    func bansFileLines() {
        let text = """
            # bans
            1.2.3.4 99999999999999999
            10.0.0.1
            not-an-address 1700000600
            203.0.113.0/24 forever
            2001:db8:1:2::/64 1700000600
            ::ffff:198.51.100.7 1700000600
            10.0.0.2 -5
            10.0.0.3 12abc\r
            10.0.0.4 1700000600\r

            """
        let (bans, problems) = ModerationFileFormat.bans(Array(text.utf8))
        #expect(bans[AddressRange("1.2.3.4")!] == .distantFuture, "a deadline past Int64 seconds is forever, not a crash")
        #expect(bans[AddressRange("203.0.113.0/24")!] == .distantFuture)
        #expect(bans[AddressRange("2001:db8:1:2::/64")!] == TrackerTime(seconds: 1_700_000_600))
        #expect(bans[AddressRange("198.51.100.7")!] == TrackerTime(seconds: 1_700_000_600), "IPv4-mapped is normalised to IPv4")
        #expect(bans[AddressRange("10.0.0.4")!] == TrackerTime(seconds: 1_700_000_600), "CRLF line endings are read")
        #expect(bans.count == 5)
        #expect(problems.map(\.line) == [3, 4, 8, 9])
    }

    @Test("a blacklist with junk lines keeps its valid hashes; CRLF and comments are fine")
    func blacklistLines() {
        let good = Fixture.hash(1).hex, other = Fixture.hash(2).hex
        let text = "\(good)\r\n# comment\nxyz\n\(other) # trailing comment\n\(good.prefix(39))\n"
        let (hashes, problems) = ModerationFileFormat.infoHashes(Array(text.utf8))
        #expect(hashes == [Fixture.hash(1), Fixture.hash(2)])
        #expect(problems.map(\.line) == [3, 5])
    }

    @Test("a list file edited by the admin commands: its hashes found as the tracker reads them (CRLF, comments), every other line kept")
    func listFileEdit() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tt-listedit-\(UUID().uuidString)").path
        try PrivateFiles.makeDirectory(directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/whitelist", one = Fixture.hash(1), two = Fixture.hash(2), three = Fixture.hash(3)
        let text = "# mine\r\n\(one.hex)\r\n\(two.hex) # kept for now\r\nnot a hash\r\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let after = try InfoHashListFile.edit(path, adding: [one, three], removing: [two])
        #expect(after == [one, three])
        let written = try #require(try PrivateFiles.read(path))
        #expect(String(decoding: written, as: UTF8.self) == "# mine\r\n\(one.hex)\r\nnot a hash\r\n\(three.hex)\n",
                "the CRLF line of a hash already there is not added twice; the removed one is gone; the rest as it was")
        #expect(ModerationFileFormat.infoHashes(written).0 == after, "what the tracker reads back")
    }

    @Test("the file backend loads a hand-edited bans file with an overflowing deadline and logs the bad line")
    func fileBackendSurvivesBadLines() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tt-readback-\(UUID().uuidString)").path
        try PrivateFiles.makeDirectory(directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "1.2.3.4 99999999999999999\ngarbage\n10.9.9.9 forever\n".write(toFile: directory + "/bans", atomically: true, encoding: .utf8)
        let logged = LogCapture()
        let backend = FileModerationBackend(directory: directory, logger: logged.logger)
        let state = try backend.load(now: Self.now)
        #expect(state.bans.count == 2)
        #expect(state.refusal(from: PeerAddress("1.2.3.4")!, now: Self.now) == .banned)
        #expect(logged.lines.contains { $0.contains("/bans") && $0.contains("line=2") }, "the bad line is named: \(logged.lines)")
    }

    @Test("moderation files are private (0600 in a 0700 directory) and never read or written through a symbolic link")
    func privateFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tt-private-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try PrivateFiles.makeDirectory(directory)
        func mode(_ path: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1 }
        #expect(mode(directory) == 0o700, "an existing data directory is narrowed")
        let backend = FileModerationBackend(directory: directory, logger: Logger(label: "test"))
        try backend.ban(AddressRange("10.0.0.1")!, until: Self.now.adding(seconds: 60))
        #expect(mode(directory + "/bans") == 0o600)
        #expect(mode(directory + "/blacklist") == 0o600)
        // Someone else's link where a list should be: refused, the target untouched.
        let target = directory + "/elsewhere"
        try "keep\n".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: directory + "/blacklist")
        try FileManager.default.createSymbolicLink(atPath: directory + "/blacklist", withDestinationPath: target)
        #expect(throws: ModerationError.self) { try backend.load(now: Self.now) }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep\n")
        #expect(throws: ModerationError.self, "a change fails loudly while the link is there") { try backend.setBlacklisted(Fixture.hash(9), true) }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep\n", "nothing was written through the link")
    }

    @Test("Redis bans of +inf, -inf and garbage: +inf is permanent, the others are skipped, nothing traps")
    func redisBanScores() throws {
        let redis = TestRedis.shared
        let prefix = TestRedis.uniquePrefix()
        let connection = try RedisConnection(redis.endpoint, timeout: 1)
        _ = try connection.command(["ZADD", "\(prefix):bans", "+inf", "1.2.3.4"])
        _ = try connection.command(["ZADD", "\(prefix):bans", "-inf", "5.6.7.8"])
        _ = try connection.command(["ZADD", "\(prefix):bans", "+inf", "not an address"])
        _ = try connection.command(["ZADD", "\(prefix):bans", "+inf", "2001:db8:1:2::/64"])
        _ = try connection.command(["SADD", "\(prefix):blacklist", "zz", Fixture.hash(3).hex])
        let backend = RedisModerationBackend(endpoint: redis.endpoint, prefix: prefix, logger: Logger(label: "test"))
        let state = try backend.load(now: Self.now)
        #expect(state.bans[AddressRange("1.2.3.4")!] == .distantFuture)
        #expect(state.bans[AddressRange("5.6.7.8")!] == nil, "a ban that ended at -inf is no ban")
        #expect(state.refusal(from: PeerAddress("2001:db8:1:2:aaaa::1")!, now: Self.now) == .banned, "a /64 ban covers its addresses")
        #expect(state.blacklist == [Fixture.hash(3)])
        #expect(state.bans.count == 2)
    }

    @Test("node reports and listings with absurd numbers are clamped, not trapped on")
    func nodeAndListingValues() throws {
        let report = NodeReport(id: "x", fields: ["started": "99999999999999999", "announces": "18446744073709551615", "scrapes": "-3"])
        #expect(report?.startedAt == .distantFuture)
        #expect(report?.requests.total.announces == .max)
        #expect(report?.requests.total.scrapes == 0)
        let listing: [RedisReply] = [
            .array([.integer(.max), .integer(.max), .integer(.min), .null, .null, .null, .null, .integer(-7)]),
            .integer(1), .integer(2), .integer(0), .integer(0),
        ]
        let info = RedisCountsReader.torrentInfo(Fixture.hash(4), listing: listing[...])
        #expect(info?.counts.completed == 0, "a negative count is clamped to zero")
        #expect(info?.firstSeen == .distantFuture)
        let scrape: [RedisReply] = [.array([.integer(1), .integer(-9)]), .integer(1), .integer(0), .integer(0), .integer(0)]
        #expect(try RedisCountsReader.counts(fromScrape: scrape[...]).get()?.completed == 0)
    }
}

/// Collects what a logger writes, for tests that check a warning was given.
final class LogCapture: Sendable {
    private let collected = Locked<[String]>([])
    var lines: [String] { collected.value }

    var logger: Logger {
        let collected = collected
        return Logger(label: "capture") { _ in Handler(collected: collected) }
    }

    private struct Handler: LogHandler {
        let collected: Locked<[String]>
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            collected.update { $0.append("\(event.level) \(event.message) \(fields)") }
        }
    }
}
