import Foundation
import Logging
import Testing
import TrackerTestSupport
@testable import TrackerEngine

/// Deregistration and the archive (`SwarmStore.deregister`, `archive(limit:)`), on every backend.
@Suite("Archive conformance")
struct ArchiveConformanceTests {
    let now = TrackerTime(seconds: 1_700_000_000)

    @Test("deregistering drops the swarm and archives its lifecycle, name and times; the same deregistration again changes nothing",
          arguments: StoreBackend.allCases)
    func deregister(backend: StoreBackend) async throws {
        let store = try backend.makeStore()
        let h = Fixture.hash(61), other = Fixture.hash(62)
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(1), id: 1, left: 10, event: .started), now: now)
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(1), id: 1, left: 0, event: .completed), now: now.adding(seconds: 60))
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(2), id: 2, left: 10, event: .started), now: now.adding(seconds: 90))
        _ = try await store.announce(Fixture.announce(other, Fixture.v4(3), id: 3), now: now)
        let at = now.adding(seconds: 3600)
        let registered = now.adding(seconds: -86_400)

        let record = try await store.deregister(ArchivedTorrent(infoHash: h, name: "Debian 12 netinst", registered: registered, deregistered: at))
        #expect(record.name == "Debian 12 netinst")
        #expect(record.registered == registered)
        #expect(record.deregistered.seconds == at.seconds)
        let life = try #require(record.lifecycle)
        #expect(life.firstSeen == now)
        #expect(life.firstStarted == now)
        #expect(life.lastStarted == now.adding(seconds: 90))
        #expect(life.firstCompleted == now.adding(seconds: 60))
        #expect(life.counts == SwarmCounts(seeders: 1, leechers: 1, completed: 1))
        #expect(life.announces == 3)
        #expect(record.firstRegistered == registered)

        #expect(try await store.scrape([h], now: at).isEmpty, "the swarm is gone")
        #expect(try await store.torrents(now: at).map(\.infoHash) == [other], "only the other torrent is listed")
        #expect(try await store.peers(of: h, now: at).isEmpty)

        let again = try await store.deregister(ArchivedTorrent(infoHash: h, deregistered: at))
        #expect(again.lifecycle == record.lifecycle, "a node following the change archives nothing more")
        #expect(try await store.archive(limit: 10) == [record])

        // Announced again (open mode): a new torrent, its archive untouched.
        let back = try await store.announce(Fixture.announce(h, Fixture.v4(5), id: 5), now: at.adding(seconds: 1))
        #expect(back.counts == SwarmCounts(seeders: 0, leechers: 1, completed: 0))
        #expect(try await store.archive(limit: 10) == [record])
    }

    @Test("a torrent never announced is archived with its catalog name; the archive lists the newest first, up to the limit",
          arguments: StoreBackend.allCases)
    func archiveOrder(backend: StoreBackend) async throws {
        let store = try backend.makeStore()
        for i in 0..<5 {
            _ = try await store.deregister(ArchivedTorrent(infoHash: Fixture.hash(70 + UInt64(i)), name: "t\(i)",
                                                           deregistered: now.adding(seconds: Int64(i) * 10)))
        }
        let newest = try await store.archive(limit: 3)
        #expect(newest.map(\.name) == ["t4", "t3", "t2"])
        #expect(newest.allSatisfy { $0.lifecycle == nil && $0.registered == nil })
        #expect(try await store.archive(limit: 100).count == 5)
    }

    @Test("the memory store's archive file survives a restart; a damaged line is skipped, the others load")
    func memoryArchiveFile() async throws {
        let directory = NSTemporaryDirectory() + "tt-archive-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/archive"
        let first = MemorySwarmStore(shardCount: 1, archivePath: path)
        _ = try await first.announce(Fixture.announce(Fixture.hash(80), Fixture.v4(1), id: 1, event: .started), now: now)
        let record = try await first.deregister(ArchivedTorrent(infoHash: Fixture.hash(80), name: "a\tname", deregistered: now.adding(seconds: 5)))
        _ = try await first.deregister(ArchivedTorrent(infoHash: Fixture.hash(81), deregistered: now.adding(seconds: 6)))

        var text = try String(contentsOfFile: path, encoding: .utf8)
        text += "not a record\n" + String(repeating: "f", count: 40) + "\tx\t-\t-\t-\t-\t-\t-\t-\t0\t0\t0\t0\t\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)

        let second = MemorySwarmStore(shardCount: 1, archivePath: path)
        let loaded = try await second.archive(limit: 10)
        #expect(loaded.map(\.infoHash) == [Fixture.hash(81), Fixture.hash(80)])
        var expected = record
        expected.name = "a name"
        #expect(loaded.last == expected)
    }

    @Test("archive lines: every field checked", arguments: [
        "", "zz\t1\t-\t-\t-\t-\t-\t-\t-\t0\t0\t0\t0\t", String(repeating: "a", count: 40) + "\t-\t-\t-\t-\t-\t-\t-\t-\t0\t0\t0\t0\tx",
        String(repeating: "a", count: 40) + "\t1\t-\t-\t-\t-\t-\t-\t-\t-1\t0\t0\t0\tx",
        String(repeating: "a", count: 40) + "\t1\t-\t-\t-\t-\t-\t-\t-\t0\t0\t0\tx",
    ])
    func archiveLines(line: String) {
        #expect(ArchiveFile.decode(line) == nil)
    }
}
