import Testing
@testable import TrackerEngine
import TrackerTestSupport

@Suite("Redis connection")
struct RedisConnectionTests {
    @Test("parses the URLs the README documents", arguments: [
        ("redis://127.0.0.1:6380/2", RedisEndpoint(address: .tcp(host: "127.0.0.1", port: 6380), database: 2)),
        ("redis://localhost", RedisEndpoint(address: .tcp(host: "localhost", port: 6379))),
        ("redis://:s3cret@10.1.2.3:7000/0", RedisEndpoint(address: .tcp(host: "10.1.2.3", port: 7000), password: "s3cret")),
        ("redis://[::1]:6379/1", RedisEndpoint(address: .tcp(host: "::1", port: 6379), database: 1)),
        ("unix:///run/redis/redis.sock?db=3", RedisEndpoint(address: .unix(path: "/run/redis/redis.sock"), database: 3)),
        ("unix:///tmp/r.sock?db=0&password=pw", RedisEndpoint(address: .unix(path: "/tmp/r.sock"), password: "pw")),
    ])
    func parsesURLs(text: String, expected: RedisEndpoint) {
        #expect(RedisEndpoint(url: text) == expected)
    }

    @Test("refuses what is not a Redis URL", arguments: ["http://host:6379", "redis://", "redis://host/x", "unix://", "unix:///s?db=-1", "nonsense"])
    func refusesURLs(text: String) {
        #expect(RedisEndpoint(url: text) == nil)
    }

    @Test("the description never shows the password")
    func hidesPassword() throws {
        let endpoint = try #require(RedisEndpoint(url: "redis://:s3cret@127.0.0.1:6379/0"))
        #expect(!endpoint.description.contains("s3cret"))
    }

    @Test("logs in with AUTH and selects the database; a wrong password is refused")
    func authAndSelect() throws {
        let redis = try TestRedis(extraArguments: ["--requirepass", "s3cret"])
        defer { redis.stop() }
        let url = "redis://:s3cret@127.0.0.1:\(redis.port)/5"
        let connection = try RedisConnection(try #require(RedisEndpoint(url: url)), timeout: 1)
        _ = try connection.command(["SET", "k", "in five"])
        guard case .string(let info)? = try? connection.command(["INFO", "keyspace"]) else {
            Issue.record("INFO keyspace gave no text")
            return
        }
        #expect(String(decoding: info, as: UTF8.self).contains("db5:keys=1"))
        #expect(throws: RedisConnection.Failure.self) {
            try RedisConnection(try #require(RedisEndpoint(url: "redis://:wrong@127.0.0.1:\(redis.port)/0")), timeout: 1)
        }
    }

    @Test("commands are binary-safe and pipelined replies come back in order")
    func binarySafePipeline() throws {
        let connection = try RedisConnection(TestRedis.shared.endpoint, timeout: 1)
        let key = Array((TestRedis.uniquePrefix() + ":bin").utf8)
        let value: [UInt8] = [0, 1, 0xFF, 13, 10, 0x20, 0]
        try connection.append([Array("SET".utf8), key, value])
        try connection.append([Array("GET".utf8), key])
        try connection.append([Array("STRLEN".utf8), key])
        #expect(try connection.readReply() == .status("OK"))
        #expect(try connection.readReply() == .string(value))
        #expect(try connection.readReply() == .integer(7))
    }

    @Test("array members are read into one buffer, of the asked size only; other replies are untouched")
    func membersIntoSink() throws {
        let connection = try RedisConnection(TestRedis.shared.endpoint, timeout: 1)
        let key = TestRedis.uniquePrefix() + ":members"
        _ = try connection.command(["ZADD", key, "1", "aaaaaa", "2", "bbbbbb", "3", "short", "4", "cccccc"])
        var read: [UInt8] = []
        try connection.append(["ZRANGE", key, "0", "-1"].map { Array($0.utf8) })
        #expect(try connection.readMembers(size: 6) { read = Array($0) })
        #expect(read == Array("aaaaaabbbbbbcccccc".utf8))

        // An empty array, then an error: nothing lent, and the connection reads plain replies again.
        try connection.append(["ZRANGE", key + ":none", "0", "-1"].map { Array($0.utf8) })
        #expect(try connection.readMembers(size: 6) { read = Array($0) })
        #expect(read.isEmpty)
        try connection.append(["ZRANGE", key].map { Array($0.utf8) })
        #expect(try !connection.readMembers(size: 6) { _ in Issue.record("an error has no members") })
        #expect(try connection.command(["ZRANGE", key, "0", "0"]) == .array([.string(Array("aaaaaa".utf8))]))
        #expect(try connection.command(["HMGET", key + ":h", "x"]) == .array([.null]))
        #expect(try connection.command(["ZCARD", key]) == .integer(4))
    }
}
