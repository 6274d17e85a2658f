import Testing
import TrackerTestSupport
@testable import TrackerEngine

/// The catalog shared through Redis, against the tests' real redis-server.
@Suite("Redis catalog registry")
struct CatalogRegistryTests {
    static func entry(_ n: UInt64, v2: Bool = false, name: String? = nil) -> CatalogEntry {
        CatalogEntry(metainfo: TorrentMetainfo(v1: Fixture.hash(n), v2: v2 ? Fixture.hash(n + 100) : nil, name: name ?? "file \(n)",
                                               totalLength: UInt64(n) << UInt64(30), fileCount: Int(n), pieceLength: 1 << 18, isPrivate: n % 2 == 0),
                     path: "/srv/torrents/\(n).torrent")
    }

    static func byHash(_ entries: [CatalogEntry]) -> [InfoHash: CatalogEntry] {
        var all: [InfoHash: CatalogEntry] = [:]
        for entry in entries { for hash in entry.metainfo.infoHashes { all[hash] = entry } }
        return all
    }

    @Test("published entries and whitelists come back whole (a hybrid under both hashes); removals and the version follow; an unchanged version sends nothing")
    func publishAndRead() async throws {
        let prefix = TestRedis.uniquePrefix()
        let store = RedisSwarmStore(endpoint: TestRedis.shared.endpoint, prefix: prefix, threads: 1)
        defer { store.shutdown() }
        let first = SharedCatalog(entries: Self.byHash([Self.entry(1), Self.entry(2, v2: true, name: "album: one")]),
                                  whitelist: [Fixture.hash(40), Fixture.hash(41)])
        try await store.publishCatalog(first, previous: SharedCatalog())
        let read = try await store.sharedCatalog(unless: nil)
        #expect(read.catalog == first)
        #expect(read.catalog?.registered.count == 5, "three hashes of two files, two whitelisted")
        #expect(try await store.sharedCatalog(unless: read.version).catalog == nil, "nothing changed: nothing read")

        let second = SharedCatalog(entries: Self.byHash([Self.entry(2, v2: true, name: "album: one"), Self.entry(3)]),
                                   whitelist: [Fixture.hash(41), Fixture.hash(42)])
        try await store.publishCatalog(second, previous: first)
        let again = try await store.sharedCatalog(unless: read.version)
        #expect(again.version > read.version && again.catalog == second, "1 and 40 removed, 3 and 42 added")
    }

    @Test("fields that are not entries, or whose hash is not the entry's, are skipped")
    func hostileFields() async throws {
        let prefix = TestRedis.uniquePrefix()
        let store = RedisSwarmStore(endpoint: TestRedis.shared.endpoint, prefix: prefix, threads: 1)
        defer { store.shutdown() }
        let good = Self.entry(5)
        try await store.publishCatalog(SharedCatalog(entries: Self.byHash([good]), whitelist: [Fixture.hash(8)]), previous: SharedCatalog())
        let redis = try RedisConnection(TestRedis.shared.endpoint, timeout: 2)
        _ = try redis.command(["HSET", "\(prefix):catalog", "zz", good.encoded().map { String(UnicodeScalar($0)) }.joined()])
        _ = try redis.command([Array("HSET".utf8), Array("\(prefix):catalog".utf8), Array(Fixture.hash(6).hex.utf8), good.encoded()])
        _ = try redis.command(["HSET", "\(prefix):catalog", Fixture.hash(7).hex, "d4:name1:xe"])
        _ = try redis.command(["SADD", "\(prefix):whitelist", "not a hash"])
        _ = try redis.command(["INCR", "\(prefix):catalog:version"])
        let read = try await store.sharedCatalog(unless: nil)
        #expect(read.catalog == SharedCatalog(entries: [Fixture.hash(5): good], whitelist: [Fixture.hash(8)]))
    }
}
