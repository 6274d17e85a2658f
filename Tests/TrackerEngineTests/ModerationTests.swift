import Foundation
import Logging
import Testing
@testable import TrackerEngine
import TrackerTestSupport

/// Blacklist and bans: refused on the hot path, persisted by both backends, shared through Redis.
@Suite("Moderation")
struct ModerationTests {
    static let hash = Fixture.hash(501)
    static let other = Fixture.hash(502)
    static let now = TrackerTime(seconds: 1_700_000_000)

    @Test("a blacklisted torrent and a banned address are refused; a ban ends at its deadline")
    func refusals() {
        let address = PeerAddress(Fixture.v4(9))
        let state = ModerationState(blacklist: [Self.hash], bans: [address: Self.now.adding(seconds: 60)])
        #expect(state.refusal(for: Self.hash, from: PeerAddress(Fixture.v4(1)), now: Self.now) == .torrentBlacklisted)
        #expect(state.refusal(for: Self.other, from: address, now: Self.now) == .banned)
        #expect(state.refusal(for: Self.other, from: address, now: Self.now.adding(seconds: 60)) == nil, "the ban is over at its deadline")
        #expect(state.refusal(for: Self.other, from: PeerAddress(Fixture.v4(1)), now: Self.now) == nil)
        #expect(state.withoutExpiredBans(now: Self.now.adding(seconds: 61)).bans.isEmpty)
    }

    @Test("addresses parse from text both ways, IPv6 shortened as RFC 5952 says")
    func addresses() {
        #expect(PeerAddress("10.0.0.9") == PeerAddress(Fixture.v4(9)))
        #expect(PeerAddress("[2001:db8::7]") == PeerAddress(Fixture.v6(7)))
        #expect(PeerAddress(Fixture.v6(7)).description == "2001:db8::7")
        #expect(PeerAddress("10.0.0") == nil)
        #expect(PeerAddress("example.org") == nil)
    }

    @Test("announces for a blacklisted torrent or from a banned address get their failure reason, counted")
    func hotPath() throws {
        let access = AccessControl()
        let store = MemorySwarmStore(shardCount: 4)
        let stats = TrackerStats()
        let clock = ManualClock()
        let logic = TrackerLogic(store: store, policy: AnnouncePolicy(intervalJitter: 0), clock: clock, access: access)
        let responder = HTTPResponder(logic: logic, stats: stats)
        let remote = PeerEndpoint.v4(IPv4Endpoint(address: 0xC000_0207, port: 40000))
        func announce(_ hash: InfoHash) throws -> BencodeValue {
            let harness = HTTPResponderTests.Harness(store: store, remote: remote)
            guard case .reply(let reply) = responder.respond(
                to: harness.part("GET /announce?info_hash=\(Fixture.percentEncoded(hash.bytes))&peer_id=-TR3000-000000000001&port=6881&left=0 HTTP/1.1\r\n\r\n"),
                from: remote) else { throw ModerationError("no immediate reply") }
            return try BencodeValue.decode(harness.split(reply).body)
        }
        #expect(try announce(Self.hash)["complete"]?.integer == 1, "no rules: served")
        access.update { $0.blacklist.insert(Self.hash) }
        #expect(try announce(Self.hash)["failure reason"]?.text == "torrent is blacklisted")
        access.update { $0.bans[PeerAddress(remote)] = clock.now().adding(seconds: 3600) }
        #expect(try announce(Self.other)["failure reason"]?.text == "banned")
        clock.advance(seconds: 3600)
        #expect(try announce(Self.other)["complete"]?.integer == 1, "served again once the ban is over")
        #expect(stats.failures("torrent_blacklisted") == 1)
        #expect(stats.failures("banned") == 1)
    }

    @Test("file backend: opentracker-format blacklist and a bans file survive a new instance; edits by hand are seen")
    func fileBackend() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tt-moderation-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let backend = FileModerationBackend(directory: directory)
        try backend.setBlacklisted(Self.hash, true)
        try backend.ban(PeerAddress("10.0.0.9")!, until: Self.now.adding(seconds: 600))
        try backend.ban(PeerAddress("2001:db8::1")!, until: Self.now.adding(seconds: 5))
        let reloaded = try FileModerationBackend(directory: directory).load(now: Self.now.adding(seconds: 10))
        #expect(reloaded.blacklist == [Self.hash])
        #expect(reloaded.bans == [PeerAddress("10.0.0.9")!: Self.now.adding(seconds: 600)], "the ended ban is not loaded")
        let text = try String(contentsOfFile: directory + "/blacklist", encoding: .utf8)
        #expect(text.contains(Self.hash.hex + "\n"))

        try "# edited by hand\n\(Self.other.hex)  # spam\n".write(toFile: directory + "/blacklist", atomically: true, encoding: .utf8)
        #expect(try backend.load(now: Self.now).blacklist == [Self.other])
        try backend.setBlacklisted(Self.other, false)
        #expect(try backend.load(now: Self.now).blacklist.isEmpty)
        try backend.unban(PeerAddress("10.0.0.9")!)
        #expect(try backend.load(now: Self.now.adding(seconds: 10)).bans.isEmpty)
    }

    @Test("Redis backend: a blacklist and a ban made on one node reach another node through pub/sub, and persist")
    func redisBackendSharesChanges() async throws {
        let redis = TestRedis.shared
        let prefix = TestRedis.uniquePrefix()
        let storeA = RedisSwarmStore(endpoint: redis.endpoint, prefix: prefix, threads: 1)
        let storeB = RedisSwarmStore(endpoint: redis.endpoint, prefix: prefix, threads: 1)
        defer { storeA.shutdown(); storeB.shutdown() }
        let logger = Logger(label: "test")
        let nodeA = Moderator(backend: RedisModerationBackend(endpoint: redis.endpoint, prefix: prefix), store: storeA, logger: logger)
        let nodeB = Moderator(backend: RedisModerationBackend(endpoint: redis.endpoint, prefix: prefix), store: storeB, logger: logger)
        nodeB.start()
        defer { nodeB.stop() }
        let peer = Fixture.v4(3)
        _ = try await storeA.announce(Fixture.announce(Self.hash, peer, left: 0), now: SystemClock().now())
        try await Task.sleep(for: .milliseconds(200))  // B has subscribed

        try await nodeA.blacklist(Self.hash)
        try await nodeA.ban(PeerAddress(peer), seconds: 3600)
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline, nodeB.access.current.bans.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        #expect(nodeB.access.current.blacklist == [Self.hash], "node B learned of the blacklist without asking")
        #expect(nodeB.access.current.bans[PeerAddress(peer)] != nil)
        #expect(try await storeB.scrape([Self.hash], now: SystemClock().now()).isEmpty, "the blacklisted swarm was purged in Redis")

        let fresh = try RedisModerationBackend(endpoint: redis.endpoint, prefix: prefix).load(now: SystemClock().now())
        #expect(fresh.blacklist == [Self.hash], "persisted for the next start")
        try await nodeA.unblacklist(Self.hash)
        try await nodeA.unban(PeerAddress(peer))
        let lifted = Date().addingTimeInterval(3)
        while Date() < lifted, !nodeB.access.current.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        #expect(nodeB.access.current.isEmpty, "lifting reaches node B too")
    }

    @Test("an unreachable Redis makes a moderation action fail loudly instead of pretending")
    func redisDownFails() async throws {
        let port = try FreePort.find()
        let backend = RedisModerationBackend(endpoint: RedisEndpoint(address: .tcp(host: "127.0.0.1", port: port)), prefix: "x", timeout: 0.2)
        #expect(throws: ModerationError.self) { try backend.setBlacklisted(Self.hash, true) }
    }
}

/// What the dashboard's store meter reads.
@Suite("Store health")
struct StoreHealthTests {
    @Test("a live Redis reports connected with a round-trip latency; a dead one reports unreachable; memory is in process")
    func health() async throws {
        let live = RedisSwarmStore(endpoint: TestRedis.shared.endpoint, prefix: TestRedis.uniquePrefix(), threads: 1)
        defer { live.shutdown() }
        let up = await live.health()
        #expect(up.state == .connected)
        #expect((up.latencyMicros ?? -1) >= 0)
        #expect(up.description.hasPrefix("redis "))
        let dead = RedisSwarmStore(endpoint: RedisEndpoint(address: .tcp(host: "127.0.0.1", port: try FreePort.find())), threads: 1, timeout: 0.2)
        defer { dead.shutdown() }
        let down = await dead.health()
        #expect(down.state == .unreachable)
        #expect(down.latencyMicros == nil)
        #expect(await MemorySwarmStore(shardCount: 4).health().state == .inProcess)
    }
}
