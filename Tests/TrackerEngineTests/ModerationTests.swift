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
        let state = ModerationState(blacklist: [Self.hash], bans: [AddressRange(address): Self.now.adding(seconds: 60)])
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
        access.update { $0.bans[AddressRange(PeerAddress(remote))] = clock.now().adding(seconds: 3600) }
        #expect(try announce(Self.other)["failure reason"]?.text == "banned")
        clock.advance(seconds: 3600)
        #expect(try announce(Self.other)["complete"]?.integer == 1, "served again once the ban is over")
        #expect(stats.failures(.torrentBlacklisted) == 1)
        #expect(stats.failures(.banned) == 1)
    }

    @Test("scrapes leave blacklisted torrents out (single, multi, full) and refuse banned addresses like announces")
    func scrapesHonourModeration() async throws {
        let access = AccessControl()
        let store = MemorySwarmStore(shardCount: 4)
        let clock = ManualClock()
        let logic = TrackerLogic(store: store, policy: AnnouncePolicy(intervalJitter: 0), clock: clock, fullScrapeInterval: 0, access: access)
        let responder = HTTPResponder(logic: logic, stats: TrackerStats())
        let remote = PeerEndpoint.v6(IPv6Endpoint(high: 0x2001_0DB8_0001_0002, low: 0x1234, port: 40000))
        _ = store.announceImmediately(Fixture.announce(Self.hash, Fixture.v4(1), left: 0), now: clock.now())
        _ = store.announceImmediately(Fixture.announce(Self.other, Fixture.v4(1), left: 0), now: clock.now())
        let harness = HTTPResponderTests.Harness(store: store, remote: remote)
        func scrape(_ hashes: [InfoHash]) async throws -> BencodeValue {
            let query = hashes.map { "info_hash=\(Fixture.percentEncoded($0.bytes))" }.joined(separator: "&")
            let part = harness.part("GET /scrape?\(query) HTTP/1.1\r\n\r\n")
            switch responder.respond(to: part, from: remote) {
            case .reply(let reply):
                return try BencodeValue.decode(harness.split(reply).body)
            case .pending(let pending):
                let reply = await withCheckedContinuation { done in
                    responder.start(pending, lane: store.makeLane()) { done.resume(returning: $0) }
                }
                return try BencodeValue.decode(harness.split(reply).body)
            }
        }
        func files(_ value: BencodeValue) -> Set<[UInt8]> { Set(value["files"]?.dictionary?.keys.map { $0 } ?? []) }
        #expect(files(try await scrape([Self.hash, Self.other])) == [Self.hash.bytes, Self.other.bytes])
        access.update { $0.blacklist.insert(Self.hash) }
        #expect(files(try await scrape([Self.hash])).isEmpty, "a blacklisted torrent is not scraped")
        #expect(files(try await scrape([Self.hash, Self.other])) == [Self.other.bytes], "multi-scrape shows only the others")
        #expect(files(try await scrape([])) == [Self.other.bytes], "full scrape leaves it out")
        access.update { $0.bans[AddressRange("2001:db8:1:2::/64")!] = clock.now().adding(seconds: 60) }
        #expect(try await scrape([Self.other])["failure reason"]?.text == "banned", "a ban on the /64 covers the scraper")
        #expect(try await scrape([])["failure reason"]?.text == "banned", "full scrape too")
    }

    @Test("CIDR ranges: parsed, masked, matched; an IPv6 peer is banned by its /64 from the dashboard")
    func ranges() {
        #expect(AddressRange("203.0.113.77/24")?.description == "203.0.113.0/24", "stored masked")
        #expect(AddressRange("2001:db8:1:2:ffff::1/64")?.description == "2001:db8:1:2::/64")
        #expect(AddressRange("::ffff:10.1.2.3")?.description == "10.1.2.3")
        #expect(AddressRange("::ffff:10.1.2.0/120")?.description == "10.1.2.0/24")
        #expect(AddressRange("10.0.0.0/33") == nil)
        #expect(AddressRange("10.0.0.0/-1") == nil)
        #expect(AddressRange("10.0.0.0/") == nil)
        #expect(AddressRange("2001:db8::/129") == nil)
        #expect(AddressRange.banning(PeerAddress("2001:db8:1:2::9")!).description == "2001:db8:1:2::/64")
        #expect(AddressRange.banning(PeerAddress("10.0.0.9")!).description == "10.0.0.9")
        var bans = BanList()
        bans[AddressRange("203.0.113.0/24")!] = Self.now.adding(seconds: 10)
        bans[AddressRange("203.0.113.5")!] = Self.now.adding(seconds: 99)
        #expect(bans.deadline(covering: PeerAddress("203.0.113.200")!) == Self.now.adding(seconds: 10))
        #expect(bans.deadline(covering: PeerAddress("203.0.113.5")!) == Self.now.adding(seconds: 99), "the latest covering ban wins")
        #expect(bans.deadline(covering: PeerAddress("203.0.114.1")!) == nil)
        bans[AddressRange("203.0.113.0/24")!] = nil
        #expect(bans.deadline(covering: PeerAddress("203.0.113.200")!) == nil)
        #expect(bans.count == 1)
    }

    @Test("a torrent blacklisted by a hand edit of the file has its swarm purged, not only refused")
    func handEditPurges() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tt-moderation-\(UUID().uuidString)").path
        try PrivateFiles.makeDirectory(directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = MemorySwarmStore(shardCount: 4)
        let moderator = Moderator(backend: FileModerationBackend(directory: directory, logger: Logger(label: "test")), store: store,
                                  logger: Logger(label: "test"))
        moderator.start()
        defer { moderator.stop() }
        _ = store.announceImmediately(Fixture.announce(Self.hash, Fixture.v4(1), left: 0), now: SystemClock().now())
        try "\(Self.hash.hex)\n".write(toFile: directory + "/blacklist", atomically: true, encoding: .utf8)
        // The watch polls every 2 s; the deadline is generous because the whole suite shares two cores.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !(try await store.scrape([Self.hash], now: SystemClock().now())).isEmpty {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try await store.scrape([Self.hash], now: SystemClock().now()).isEmpty, "the swarm is gone once the watch sees the edit")
        #expect(moderator.access.current.blacklist == [Self.hash])
    }

    @Test("file backend: opentracker-format blacklist and a bans file survive a new instance; edits by hand are seen")
    func fileBackend() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tt-moderation-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let backend = FileModerationBackend(directory: directory, logger: Logger(label: "test"))
        try backend.setBlacklisted(Self.hash, true)
        try backend.ban(AddressRange("10.0.0.9")!, until: Self.now.adding(seconds: 600))
        try backend.ban(AddressRange("2001:db8::1")!, until: Self.now.adding(seconds: 5))
        let reloaded = try FileModerationBackend(directory: directory, logger: Logger(label: "test")).load(now: Self.now.adding(seconds: 10))
        #expect(reloaded.blacklist == [Self.hash])
        #expect(reloaded.bans == [AddressRange("10.0.0.9")!: Self.now.adding(seconds: 600)], "the ended ban is not loaded")
        let text = try String(contentsOfFile: directory + "/blacklist", encoding: .utf8)
        #expect(text.contains(Self.hash.hex + "\n"))

        try "# edited by hand\n\(Self.other.hex)  # spam\n".write(toFile: directory + "/blacklist", atomically: true, encoding: .utf8)
        #expect(try backend.load(now: Self.now).blacklist == [Self.other])
        try backend.setBlacklisted(Self.other, false)
        #expect(try backend.load(now: Self.now).blacklist.isEmpty)
        try backend.unban(AddressRange("10.0.0.9")!)
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
        let nodeA = Moderator(backend: RedisModerationBackend(endpoint: redis.endpoint, prefix: prefix, logger: logger), store: storeA, logger: logger)
        let nodeB = Moderator(backend: RedisModerationBackend(endpoint: redis.endpoint, prefix: prefix, logger: logger), store: storeB, logger: logger)
        nodeB.start()
        defer { nodeB.stop() }
        let peer = Fixture.v4(3)
        _ = try await storeA.announce(Fixture.announce(Self.hash, peer, left: 0), now: SystemClock().now())
        try await Task.sleep(for: .milliseconds(200))  // B has subscribed

        try await nodeA.blacklist(Self.hash)
        try await nodeA.ban(AddressRange(PeerAddress(peer)), seconds: 3600)
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline, nodeB.access.current.bans.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        #expect(nodeB.access.current.blacklist == [Self.hash], "node B learned of the blacklist without asking")
        #expect(nodeB.access.current.bans[AddressRange(PeerAddress(peer))] != nil)
        #expect(try await storeB.scrape([Self.hash], now: SystemClock().now()).isEmpty, "the blacklisted swarm was purged in Redis")

        let fresh = try RedisModerationBackend(endpoint: redis.endpoint, prefix: prefix, logger: logger).load(now: SystemClock().now())
        #expect(fresh.blacklist == [Self.hash], "persisted for the next start")
        try await nodeA.unblacklist(Self.hash)
        try await nodeA.unban(AddressRange(PeerAddress(peer)))
        let lifted = Date().addingTimeInterval(3)
        while Date() < lifted, !nodeB.access.current.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        #expect(nodeB.access.current.isEmpty, "lifting reaches node B too")
    }

    @Test("Redis: a torrent blacklisted by an SADD by hand, with no PUBLISH, is refused and purged on every node")
    func redisHandEditPurges() async throws {
        let redis = TestRedis.shared
        let prefix = TestRedis.uniquePrefix()
        let store = RedisSwarmStore(endpoint: redis.endpoint, prefix: prefix, threads: 1)
        defer { store.shutdown() }
        let moderator = Moderator(backend: RedisModerationBackend(endpoint: redis.endpoint, prefix: prefix, logger: Logger(label: "test")),
                                  store: store, logger: Logger(label: "test"))
        moderator.start()
        defer { moderator.stop() }
        _ = try await store.announce(Fixture.announce(Self.hash, Fixture.v4(3), left: 0), now: SystemClock().now())
        _ = try RedisConnection(redis.endpoint, timeout: 1).command(["SADD", "\(prefix):blacklist", Self.hash.hex])
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !(try await store.scrape([Self.hash], now: SystemClock().now())).isEmpty {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try await store.scrape([Self.hash], now: SystemClock().now()).isEmpty, "purged once the periodic reload saw it")
        #expect(moderator.access.current.blacklist == [Self.hash], "and refused from then on")
    }

    @Test("an unreachable Redis makes a moderation action fail loudly instead of pretending")
    func redisDownFails() async throws {
        let port = try FreePort.find()
        let backend = RedisModerationBackend(endpoint: RedisEndpoint(address: .tcp(host: "127.0.0.1", port: port)), prefix: "x", logger: Logger(label: "test"), timeout: 0.2)
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
