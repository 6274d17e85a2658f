import Foundation
import Logging
import Testing
import TrackerTestSupport
@testable import TrackerEngine

/// Deregistering through the moderator: refused in closed mode, persisted, archived once, and
/// followed by a second moderator on the same lists (another node; `trackertui torrents
/// deregister`, which with the memory store only writes the file and leaves the archiving to
/// the running tracker).
@Suite("Deregistration")
struct DeregistrationTests {
    enum Lists: String, CaseIterable, Sendable { case files, redis }

    /// Two moderators on the same lists: the running tracker's (with a swarm) and a tool's (an empty store).
    struct Pair {
        let tracker: Moderator, tool: Moderator, store: any SwarmStore
        let fresh: () throws -> ModerationState
        let cleanup: () -> Void
    }

    static func pair(_ lists: Lists) -> Pair {
        let logger = Logger(label: "test")
        switch lists {
        case .files:
            let directory = NSTemporaryDirectory() + "tt-dereg-\(UInt64.random(in: 0...UInt64.max))"
            let store = MemorySwarmStore(shardCount: 4, archivePath: directory + "/archive")
            return Pair(tracker: Moderator(backend: FileModerationBackend(directory: directory, logger: logger), store: store, logger: logger),
                        tool: Moderator(backend: FileModerationBackend(directory: directory, logger: logger), store: MemorySwarmStore(shardCount: 1), logger: logger),
                        store: store, fresh: { try FileModerationBackend(directory: directory, logger: logger).load(now: SystemClock().now()) },
                        cleanup: { try? FileManager.default.removeItem(atPath: directory) })
        case .redis:
            let endpoint = TestRedis.shared.endpoint, prefix = TestRedis.uniquePrefix()
            let store = RedisSwarmStore(endpoint: endpoint, prefix: prefix, threads: 1)
            let toolStore = RedisSwarmStore(endpoint: endpoint, prefix: prefix, threads: 1)
            func backend() -> RedisModerationBackend { RedisModerationBackend(endpoint: endpoint, prefix: prefix, logger: logger) }
            return Pair(tracker: Moderator(backend: backend(), store: store, logger: logger), tool: Moderator(backend: backend(), store: toolStore, logger: logger),
                        store: store, fresh: { try backend().load(now: SystemClock().now()) },
                        cleanup: { store.shutdown(); toolStore.shutdown() })
        }
    }

    @Test("closed mode refuses a deregistered torrent; lifted, it is tracked again", arguments: Lists.allCases)
    func closedModeRefuses(lists: Lists) async throws {
        let pair = Self.pair(lists)
        defer { pair.cleanup() }
        let hash = Fixture.hash(601), peer = Fixture.v4(1), now = SystemClock().now()
        let access = pair.tracker.access
        access.restrict(to: [hash, Fixture.hash(602)])
        #expect(access.refusal(for: hash, from: peer, now: now) == nil)
        pair.tracker.describeTorrents { $0 == hash ? ("the name", TrackerTime(seconds: 1_600_000_000)) : nil }

        let record = try await pair.tracker.deregister(hash)
        #expect(record.name == "the name" && record.registered == TrackerTime(seconds: 1_600_000_000))
        #expect(access.refusal(for: hash, from: peer, now: now) == .torrentNotRegistered)
        #expect(access.refusal(for: Fixture.hash(602), from: peer, now: now) == nil, "the others stay tracked")
        #expect(access.withoutRefused([hash, Fixture.hash(602)], by: { $0 }) == [Fixture.hash(602)], "scrapes leave it out")
        access.restrict(to: [hash, Fixture.hash(602)])
        #expect(access.refusal(for: hash, from: peer, now: now) == .torrentNotRegistered, "a catalog reload does not bring it back")
        #expect(try pair.fresh().deregistered[hash] != nil, "persisted for the next start")

        try await pair.tracker.reregister(hash)
        #expect(access.refusal(for: hash, from: peer, now: now) == nil)
        #expect(try pair.fresh().deregistered[hash] == nil)
    }

    @Test("deregistered by another moderator (a node, the command line): the tracker follows, and the archive has the lifecycle once",
          arguments: Lists.allCases)
    func followed(lists: Lists) async throws {
        let pair = Self.pair(lists)
        defer { pair.cleanup() }
        let hash = Fixture.hash(611)
        pair.tracker.access.restrict(to: [hash])
        pair.tracker.start()
        defer { pair.tracker.stop() }
        _ = try await pair.store.announce(Fixture.announce(hash, Fixture.v4(1), id: 1, event: .started), now: SystemClock().now())
        try await Task.sleep(for: .milliseconds(200))  // the tracker's watch is in place

        try pair.tool.backend.setDeregistered(hash, at: SystemClock().now())
        // Generous: the archiving runs as a task, and a loaded machine running the whole suite
        // (tests that block their threads while they wait) can keep it waiting for seconds.
        let deadline = Date().addingTimeInterval(45)
        while Date() < deadline, (try await pair.store.archive(limit: 10)).isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        let archive = try await pair.store.archive(limit: 10)
        #expect(archive.count == 1)
        #expect(archive.first?.lifecycle?.firstStarted != nil, "archived by the tracker, which had the swarm")
        #expect(pair.tracker.access.refusal(for: hash, from: Fixture.v4(1), now: SystemClock().now()) == .torrentNotRegistered)
        #expect(try await pair.store.scrape([hash], now: SystemClock().now()).isEmpty)
    }

    @Test("the deregistered file: lines checked one by one, written back sorted")
    func fileFormat() {
        let text = "# comment\n\(Fixture.hash(1).hex) 1700000000\nnot-a-hash 5\n\(Fixture.hash(2).hex) -5\n\(Fixture.hash(3).hex)\n"
        let (torrents, problems) = ModerationFileFormat.deregistered(Array(text.utf8))
        #expect(torrents == [Fixture.hash(1): TrackerTime(seconds: 1_700_000_000)])
        #expect(problems.map(\.line) == [3, 4, 5])
        #expect(ModerationFileFormat.deregistered(ModerationFileFormat.render(deregistered: torrents)).0 == torrents)
    }
}
