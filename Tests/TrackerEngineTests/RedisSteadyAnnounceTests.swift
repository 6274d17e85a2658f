import Foundation
import Testing
import TrackerTestSupport
@testable import TrackerEngine

/// Steady announces (`RedisSteadyPeers`): a busy swarm's announces with no event are one HSET
/// each, with the blob the script would have stored; a peer found gone runs the script. Against
/// a redis-server of their own, whose command counts they read.
@Suite("Redis steady announces", .serialized)
struct RedisSteadyAnnounceTests {
    /// 1,700,000,000.5 s: steady announces 0.9 s later are in the next second.
    static let start = TrackerTime(milliseconds: Int64(1_700_000_000_500))

    @Test("the blob keeps the stored first-seen time and counted completion, and the stored key when the announce has none")
    func blobMerge() {
        let hash = Fixture.hash(900), peer = Fixture.v4(9)
        let stored = RedisSteadyPeers.Stored(key: 0xAABB_CCDD, firstSeen: 1_600_000_000,
                                             flags: RedisPeerBlob.flagHasKey | RedisPeerBlob.flagCompletionCounted, isSeeder: true, writtenAt: 0)
        let withoutKey = Fixture.announce(hash, peer, id: 9, left: 0)
        let (blob, next) = Self.blob(withoutKey, stored: stored)
        let detail = RedisPeerBlob.decode(blob, endpoint: peer, isSeeder: true)
        #expect(detail?.key == 0xAABB_CCDD && detail?.firstSeen == TrackerTime(seconds: 1_600_000_000) && detail?.lastSeen == TrackerTime(seconds: 1_700_000_000))
        #expect(blob[RedisPeerBlob.flagsOffset] & RedisPeerBlob.flagCompletionCounted != 0 && next.key == 0xAABB_CCDD)

        var withKey = withoutKey
        withKey.key = 7
        let (keyed, _) = Self.blob(withKey, stored: stored)
        #expect(RedisPeerBlob.decode(keyed, endpoint: peer, isSeeder: true)?.key == 7, "the announce's own key wins")
        let fresh = RedisSteadyPeers.Stored(key: 0, firstSeen: 1_600_000_000, flags: 0, isSeeder: false, writtenAt: 0)
        let (plain, _) = Self.blob(Fixture.announce(hash, peer, id: 9, left: 5), stored: fresh)
        #expect(RedisPeerBlob.decode(plain, endpoint: peer, isSeeder: false)?.key == nil, "no key stored, none given: none")
    }

    @Test("bounded: past its capacity a new peer is not remembered until peers unwritten for the peer timeout are dropped")
    func bounded() {
        var table = RedisSteadyPeers(capacity: 2, maxSwarms: 1, peerTimeout: 100)
        let hash = Fixture.hash(903), counts = SwarmCounts(seeders: 0, leechers: 3, completed: 0)
        let stored: [UInt8] = [0, 0, 0, 0, 1, 2, 3, 4, 0]
        func learn(_ peer: UInt8, at seconds: UInt32) -> UInt64 {
            let request = Fixture.announce(hash, Fixture.v4(peer), id: UInt64(peer), left: 5)
            let fingerprint = table.fingerprint(hash, announcer: request.endpoint.compact)
            table.learned(request, fingerprint: fingerprint, stored: stored, counts: counts, pruning: false, nowSeconds: seconds, seconds: Double(seconds))
            return fingerprint
        }
        let first = learn(1, at: 1000)
        _ = learn(2, at: 1000)
        let third = learn(3, at: 1050)
        #expect(table.count == 2, "full: the third peer is not remembered")
        let request = Fixture.announce(hash, Fixture.v4(3), id: 3, left: 5)
        #expect(table.steady(request, fingerprint: third, seconds: 1050) == nil, "so its announces run the script")
        #expect(table.steady(Fixture.announce(hash, Fixture.v4(1), id: 1, left: 5), fingerprint: first, seconds: 1050) != nil)
        _ = learn(4, at: 1200)
        #expect(table.count == 1, "the two written at 1000 s, past the 100 s timeout at 1200 s, dropped for the new one")
        #expect(table.steady(Fixture.announce(hash, Fixture.v4(1), id: 1, left: 5), fingerprint: first, seconds: 1200) == nil)
        #expect(table.steady(Fixture.announce(hash, Fixture.v4(1), id: 1, left: 0), fingerprint: first, seconds: 1200) == nil, "another role: the script")
    }

    /// The blob a steady announce at 1,700,000,000 s writes, and what it keeps.
    static func blob(_ request: AnnounceRequest, stored: RedisSteadyPeers.Stored) -> (blob: [UInt8], next: RedisSteadyPeers.Stored) {
        let next = RedisSteadyPeers.next(request, stored: stored, nowSeconds: 1_700_000_000)
        var blob: [UInt8] = []
        RedisPeerBlob.appendBlob(request, nowSeconds: 1_700_000_000, kept: (next.key, next.firstSeen, next.flags), to: &blob)
        return (blob, next)
    }

    /// A store on a redis-server of its own, and a way to read that server's command counts.
    struct Setup {
        let redis: TestRedis
        let store: RedisSwarmStore
        let connection: RedisConnection
        let keys: RedisKeys

        init() throws {
            redis = try TestRedis()
            let prefix = TestRedis.uniquePrefix()
            // A clock that stands still: however slowly a loaded machine runs the test, the
            // swarm's counts stay fresh and no held count is due (both go by this clock).
            store = RedisSwarmStore(endpoint: redis.endpoint, prefix: prefix, threads: 1, monotonicSeconds: { 1000 })
            connection = try RedisConnection(redis.endpoint, timeout: 2)
            keys = RedisKeys(prefix: prefix)
        }

        func calls(_ command: String) throws -> Int {
            let info = String(decoding: try connection.command(["INFO", "commandstats"]).bytes ?? [], as: UTF8.self)
            guard let line = info.split(separator: "\r\n").first(where: { $0.hasPrefix("cmdstat_\(command):calls=") }) else { return 0 }
            return Int(line.dropFirst("cmdstat_\(command):calls=".count).prefix { $0.isNumber }) ?? 0
        }

        func stop() {
            store.shutdown()
            redis.stop()
        }
    }

    @Test("after one script run, a peer's announces within the second are HSETs: counts answered, first seen kept, last seen moved")
    func steadyIsHSET() async throws {
        let setup = try Setup()
        defer { setup.stop() }
        let hash = Fixture.hash(901), seeder = Fixture.v4(1), leecher = Fixture.v4(2)
        _ = try await setup.store.announce(Fixture.announce(hash, seeder, id: 1, left: 0, event: .started), now: Self.start)
        var request = Fixture.announce(hash, leecher, id: 2, left: 5, event: .started)
        request.key = 0x1234
        _ = try await setup.store.announce(request, now: Self.start)
        let (scripts, hsets) = (try setup.calls("evalsha"), try setup.calls("hset"))

        request.event = .none
        request.key = nil
        let later = TrackerTime(milliseconds: Int64(Self.start.milliseconds + 900))
        for _ in 0..<10 {
            let result = try await setup.store.announce(request, now: later)
            #expect(result.counts == SwarmCounts(seeders: 1, leechers: 1, completed: 0))
            #expect(result.peers(family: AddressFamily.ipv4) == [seeder])
        }
        #expect(try setup.calls("hset") - hsets == 10, "one HSET per announce (the script makes one too: the next check tells them apart)")
        #expect(try setup.calls("evalsha") == scripts, "no script")
        let blob = try #require(try setup.connection.command([Array("HGET".utf8), Array(setup.keys.swarm(hash).leechers4.utf8), leecher.compact]).bytes)
        let detail = try #require(RedisPeerBlob.decode(blob, endpoint: leecher, isSeeder: false))
        #expect(detail.firstSeen == TrackerTime(seconds: 1_700_000_000) && detail.lastSeen == TrackerTime(seconds: 1_700_000_001))
        #expect(detail.key == 0x1234, "the key given when the peer started, kept")

        // An event runs the script: the completion is counted, the peer moved to the seeders.
        request.event = .completed
        request.left = 0
        let done = try await setup.store.announce(request, now: later)
        #expect(done.counts == SwarmCounts(seeders: 2, leechers: 0, completed: 1))
        #expect(try setup.calls("evalsha") - scripts >= 1)
    }

    @Test("a steady write that finds its peer gone runs the script: a purged swarm is made again whole, a peer another node moved is in one hash")
    func goneRunsScript() async throws {
        let setup = try Setup()
        defer { setup.stop() }
        let hash = Fixture.hash(902), peer = Fixture.v4(3)
        let swarm = setup.keys.swarm(hash)
        _ = try await setup.store.announce(Fixture.announce(hash, peer, id: 3, left: 5, event: .started), now: Self.start)
        #expect(try await setup.store.purge(hash))
        let again = try await setup.store.announce(Fixture.announce(hash, peer, id: 3, left: 5), now: Self.start)
        #expect(again.counts == SwarmCounts(seeders: 0, leechers: 1, completed: 0))
        #expect(try setup.connection.command(["HEXISTS", swarm.lifecycle, "first_seen"]).integer == 1, "the swarm's lifecycle made again")
        #expect(try setup.connection.command(["ZSCORE", setup.keys.torrents, hash.hex]).bytes != nil, "the swarm is in the torrents set again")

        // Another node saw the peer finish: it sits in the seeders hash; this node still thinks it a leecher.
        let blob = try #require(try setup.connection.command([Array("HGET".utf8), Array(swarm.leechers4.utf8), peer.compact]).bytes)
        _ = try setup.connection.command([Array("HDEL".utf8), Array(swarm.leechers4.utf8), peer.compact])
        _ = try setup.connection.command([Array("HSET".utf8), Array(swarm.seeders4.utf8), peer.compact, blob])
        let moved = try await setup.store.announce(Fixture.announce(hash, peer, id: 3, left: 5), now: Self.start)
        #expect(moved.counts == SwarmCounts(seeders: 0, leechers: 1, completed: 0), "one peer, a leecher as it says")
        #expect(try setup.connection.command(["HLEN", swarm.seeders4]).integer == 0 && setup.connection.command(["HLEN", swarm.leechers4]).integer == 1)
    }
}
