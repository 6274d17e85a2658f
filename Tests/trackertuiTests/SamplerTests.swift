import Logging
import Testing
@testable import trackertui
import TrackerEngine

/// The sampler against a real (memory) store: listings, rates, totals and moderation marks.
@Suite("Dashboard sampler")
struct SamplerTests {
    static func request(_ hash: InfoHash, port: UInt16, left: UInt64) -> AnnounceRequest {
        AnnounceRequest(infoHash: hash, peerID: PeerID(bytes: Array("-qB4520-abcdefghijkl".utf8))!,
                        endpoint: .v4(IPv4Endpoint(address: 0x7F00_0001, port: port)), left: left, event: .started, numwant: 0)
    }

    @Test("new announces appear in the next sample without a full listing; rates per second and per minute")
    func incremental() async throws {
        let clock = ManualClock(TrackerTime(seconds: 1_700_000_000))
        let store = MemorySwarmStore(shardCount: 4)
        let backend = FileModerationBackend(directory: "/nonexistent-\(UInt64.random(in: 0...UInt64.max))", logger: Logger(label: "t"))
        let source = StoreOnlySource(store: store, moderator: Moderator(backend: backend, store: store, clock: clock, logger: Logger(label: "t")),
                                     clock: clock)
        let sampler = SnapshotSampler(source: source, fullEvery: 1000)
        let a = Fixtures.hash("aa"), b = Fixtures.hash("bb")
        _ = store.announceImmediately(Self.request(a, port: 1, left: 0), now: clock.now())
        var snapshot = await sampler.sample()
        #expect(snapshot.torrents.map(\.infoHash) == [a])

        for second in 1...40 {
            clock.advance(seconds: 1)
            _ = store.announceImmediately(Self.request(a, port: UInt16(second + 1), left: 10), now: clock.now())
            source.announces.update { $0 += 100 }
            if second == 40 { _ = store.announceImmediately(Self.request(b, port: 9, left: 10), now: clock.now()) }
            snapshot = await sampler.sample()
        }
        #expect(Set(snapshot.torrents.map(\.infoHash)) == [a, b], "b is picked up by the incremental listing")
        let rowA = try #require(snapshot.torrents.first { $0.infoHash == a })
        #expect(rowA.seeders == 1 && rowA.leechers == 40)
        #expect(abs(rowA.announcesPerMinute - 60) < 1, "one announce a second is 60 a minute, got \(rowA.announcesPerMinute)")
        #expect(snapshot.rates.total.announces == 100 && snapshot.rates.http.announces == 100)
        #expect(snapshot.announceHistory.count == 40)
        #expect(snapshot.totals.seeders == 1 && snapshot.totals.leechers == 41)
    }
}
