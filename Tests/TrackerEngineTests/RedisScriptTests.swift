import Foundation
import Testing
@testable import TrackerEngine
import TrackerTestSupport

/// The Lua scripts one at a time against a real redis-server, as the tracker loads them, and
/// `Lua/layout.lua` against the Swift side of the same layout.
@Suite("Redis scripts")
struct RedisScriptTests {
    static let now = TrackerTime(seconds: 1_700_000_000)

    /// `layout.lua`'s `local NAME = value` lines.
    static var layoutConstants: [String: String] {
        var constants: [String: String] = [:]
        for line in String(decoding: PackageResources.layout_lua, as: UTF8.self).split(separator: "\n") where line.hasPrefix("local ") {
            let parts = line.dropFirst(6).split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            constants[parts[0].trimmingCharacters(in: .whitespaces)] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        return constants
    }

    @Test("layout.lua and Swift agree on the blob, the announce argument and the key suffixes")
    func oneLayout() {
        let lua = Self.layoutConstants
        typealias Blob = RedisPeerBlob
        #expect(lua["BLOB_SIZE"] == "\(Blob.size)")
        #expect(lua["BLOB_KEY"] == "\(Blob.keyOffset + 1)")
        #expect(lua["BLOB_FIRST_SEEN"] == "\(Blob.firstSeenOffset + 1)")
        #expect(lua["BLOB_LAST_SEEN"] == "\(Blob.lastSeenOffset + 1)")
        #expect(lua["BLOB_FLAGS"] == "\(Blob.flagsOffset + 1)")
        #expect(lua["FLAG_HAS_KEY"] == "\(Blob.flagHasKey)")
        #expect(lua["FLAG_COMPLETION_COUNTED"] == "\(Blob.flagCompletionCounted)")
        #expect(lua["ANNOUNCE_FORMAT"] == "'\(Blob.announceFormat)'")
        #expect(lua["ANNOUNCE_HEADER_SIZE"] == "\(Blob.announceHeaderSize)")
        #expect(lua["MODE_SEEDER"] == "\(Blob.modeSeeder)")
        #expect(lua["EVENT_STARTED"] == "\(AnnounceEvent.started.rawValue)")
        #expect(lua["EVENT_COMPLETED"] == "\(AnnounceEvent.completed.rawValue)")
        #expect(lua["EVENT_STOPPED"] == "\(AnnounceEvent.stopped.rawValue)")
        #expect(lua["LIFECYCLE"] == "'\(RedisKeys.lifecycleSuffix)'")
        let (v4, v6) = (RedisKeys.FamilySets.v4, RedisKeys.FamilySets.v6)
        // A family's key is the prefix followed by the family's digit: S4, L4, C4, S6, L6, C6.
        for (lua, swift) in [(lua["SEEDERS"], [v4.seeders, v6.seeders]), (lua["LEECHERS"], [v4.leechers, v6.leechers]),
                             (lua["CLIENTS"], [v4.clients, v6.clients])] {
            let prefix = lua?.trimmingCharacters(in: CharacterSet(charactersIn: "'")) ?? "?"
            #expect(swift.map(\.description) == [prefix + "4", prefix + "6"])
        }
        #expect(lua["CLIENT_SIZE_V4"] == "4" && lua["CLIENT_SIZE_V6"] == "8")
        #expect(PeerAddress(Fixture.v4(1)).clientPrefixLength == 32 && PeerAddress(Fixture.v6(1)).clientPrefixLength == 64)
        #expect(lua["ENDPOINT_SIZE_V6"] == "\(IPv6Endpoint.compactSize)")
        #expect(lua["TORRENTS_SUFFIX"] == "'\(RedisKeys(prefix: "p").torrents.dropFirst(1))'")
        #expect(lua["ARCHIVE_SUFFIX"] == "'\(RedisKeys(prefix: "p").archive.dropFirst(1))'")
        // The header the format unpacks is the header Swift writes.
        let sizes: [Character: Int] = ["B": 1]
        var total = 0, format = Blob.announceFormat.dropFirst()
        while let code = format.first {
            format = format.dropFirst()
            if code == "I", let digit = format.first?.wholeNumberValue { total += digit; format = format.dropFirst() } else { total += sizes[code] ?? 0 }
        }
        #expect(total == Blob.announceHeaderSize)
    }

    /// Runs a script with EVAL (binary-safe arguments), as the tracker loads it.
    static func eval(_ script: RedisScript, _ connection: RedisConnection, key: String, _ arguments: [[UInt8]]) throws -> RedisReply {
        try connection.command([Array("EVAL".utf8), Array(script.source.utf8), Array("1".utf8), Array(key.utf8)] + arguments)
    }

    static func announceArgument(_ request: AnnounceRequest, now: TrackerTime) -> [UInt8] {
        var writer = RESPWriter()
        RedisPeerBlob.writeAnnounceArgument(request, nowSeconds: UInt32(now.seconds), cutoffSeconds: UInt32(now.seconds - 3600), pageSize: 256,
                                            counted: 1, limits: SwarmLimits(), into: &writer)
        // The bulk string's bytes, without its `$<length>\r\n` header and trailing CRLF.
        let bytes = writer.bytes
        let start = bytes.firstIndex(of: UInt8(ascii: "\n"))! + 1
        return Array(bytes[start..<bytes.count - 2])
    }

    @Test("announce: stores the peer's blob in its family's hash, counts a completion once, removes it on stopped")
    func announce() throws {
        let connection = try RedisConnection(TestRedis.shared.endpoint, timeout: 2)
        let keys = RedisKeys(prefix: TestRedis.uniquePrefix()), hash = Fixture.hash(301), peer = Fixture.v4(7)
        let swarm = keys.swarm(hash)
        /// The reply's numbers (counts, touch, own-family counts, pruning) and its stored bytes.
        func announce(_ request: AnnounceRequest) throws -> (numbers: [Int64], stored: [UInt8]?) {
            let reply = try Self.eval(.announce, connection, key: swarm.lifecycle, [peer.compact, Self.announceArgument(request, now: Self.now)])
            let items = reply.array ?? []
            return (items.compactMap(\.integer), items.count == 8 ? items[6].bytes : nil)
        }
        var request = Fixture.announce(hash, peer, id: 7, left: 10, event: .started)
        request.key = 0xA1B2_C3D4
        let first = try announce(request)
        #expect(first.numbers == [0, 1, 0, 1, 0, 1, 0])
        let stored = try #require(try connection.command([Array("HGET".utf8), Array(swarm.leechers4.utf8), peer.compact]).bytes)
        let detail = try #require(RedisPeerBlob.decode(stored, endpoint: peer, isSeeder: false))
        #expect(detail.peerID == Fixture.peerID(7) && detail.left == 10 && detail.lastSeen == Self.now)
        #expect(first.stored == Array(stored[RedisPeerBlob.keyOffset..<RedisPeerBlob.keyOffset + 4]) + Array(stored[RedisPeerBlob.firstSeenOffset..<RedisPeerBlob.firstSeenOffset + 4])
                    + [stored[RedisPeerBlob.flagsOffset]], "stored: the blob's key, first seen and flags")

        let completed = try announce(Fixture.announce(hash, peer, id: 7, left: 0, event: .completed))
        #expect(completed.numbers == [1, 0, 1, 0, 1, 0, 0])
        #expect(completed.stored?[0..<4] == first.stored?[0..<4], "the key kept when the announce has none")
        #expect(completed.stored.map { $0[8] & RedisPeerBlob.flagCompletionCounted != 0 } == true)
        #expect(try announce(Fixture.announce(hash, peer, id: 7, left: 0, event: .completed)).numbers == [1, 0, 1, 0, 1, 0, 0], "counted once")
        let stopped = try announce(Fixture.announce(hash, peer, id: 7, left: 0, event: .stopped))
        #expect(stopped.numbers == [0, 0, 1, 0, 0, 0, 0] && stopped.stored == [], "nothing stored once the peer left")
        #expect(try connection.command(["HLEN", swarm.seeders4]).integer == 0)
    }

    @Test("kick: removes the peer once; a second kick finds nothing")
    func kick() throws {
        let connection = try RedisConnection(TestRedis.shared.endpoint, timeout: 2)
        let keys = RedisKeys(prefix: TestRedis.uniquePrefix()), hash = Fixture.hash(302), peer = Fixture.v6(9)
        let swarm = keys.swarm(hash)
        _ = try Self.eval(.announce, connection, key: swarm.lifecycle, [peer.compact, Self.announceArgument(Fixture.announce(hash, peer), now: Self.now)])
        #expect(try connection.command(["HLEN", swarm.leechers6]).integer == 1)
        #expect(try Self.eval(.kick, connection, key: swarm.lifecycle, [peer.compact]).integer == 1)
        #expect(try Self.eval(.kick, connection, key: swarm.lifecycle, [peer.compact]).integer == 0)
        #expect(try connection.command(["HLEN", swarm.leechers6]).integer == 0)
    }

    /// `scripts/redis-eval.sh`, the way an operator runs a script by hand.
    static func redisEval(_ name: String, key: String, _ arguments: [String]) throws -> [String] {
        let process = Process()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/redis-eval.sh").standardizedFileURL
        process.executableURL = script
        process.arguments = [name, key, ","] + arguments
        process.environment = ["PATH": "/usr/bin:/bin", "REDIS_CLI_OPTS": "-p \(TestRedis.shared.port)"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: "\n").map(String.init)
    }

    @Test("count and sweep run by hand with redis-cli --eval: counts only a swarm that exists; the sweep drops expired peers and forgets the empty swarm")
    func byHand() throws {
        let connection = try RedisConnection(TestRedis.shared.endpoint, timeout: 2)
        let keys = RedisKeys(prefix: TestRedis.uniquePrefix()), hash = Fixture.hash(303)
        let swarm = keys.swarm(hash)
        #expect(try Self.redisEval("count", key: swarm.lifecycle, ["5"]) == ["0"])
        #expect(try connection.command(["EXISTS", swarm.lifecycle]).integer == 0, "no lifecycle made for a swarm that is gone")

        for n in 1...3 {
            let peer = Fixture.v4(UInt8(n))
            _ = try Self.eval(.announce, connection, key: swarm.lifecycle, [peer.compact, Self.announceArgument(Fixture.announce(hash, peer), now: Self.now)])
        }
        #expect(try Self.redisEval("count", key: swarm.lifecycle, ["5"]) == ["1"])
        #expect(try connection.command(["HGET", swarm.lifecycle, "announces"]).bytes == Array("8".utf8), "three announces counted at once, five handed over")

        let cutoff = String(Self.now.seconds), forgetBefore = String(Self.now.seconds + 1)
        #expect(try Self.redisEval("sweep", key: swarm.lifecycle, [cutoff, "1000", forgetBefore, "4"]) == ["3", "1", "0"])
        #expect(try connection.command(["EXISTS", swarm.lifecycle, swarm.leechers4]).integer == 0)
    }
}
