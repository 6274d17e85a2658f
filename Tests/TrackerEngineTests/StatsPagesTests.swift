import Foundation
import Testing
import TrackerTestSupport
@testable import TrackerEngine

/// The stats pages' pure parts: the query, sorting and paging, escaping, the request history.
@Suite("Stats pages")
struct StatsPagesTests {
    static func info(_ n: UInt64, seeders: Int, leechers: Int, last: Int64 = 0) -> TorrentInfo {
        TorrentInfo(infoHash: Fixture.hash(n), counts: SwarmCounts(seeders: seeders, leechers: leechers, completed: 0), announces: 0,
                    firstSeen: TrackerTime(seconds: 1), lastActivity: TrackerTime(seconds: last))
    }

    @Test("a query never fails: bad values are the defaults; limits are bounded")
    func query() {
        var q = StatsQuery("limit=5000&offset=-3&sort=nonsense&order=asc&q=Debian%20ISO&x=y")
        #expect(q.limit == 100 && q.offset == 0 && q.sort == "seeders" && !q.descending && q.filter == "debian iso")
        q = StatsQuery("limit=7&offset=20&sort=name")
        #expect(q.limit == 7 && q.offset == 20 && q.sort == "name" && !q.descending, "names sort A to Z unless told")
        #expect(StatsQuery("torrent=ABC").torrent == "ABC")
        #expect(StatsQuery(String(repeating: "x=1&", count: 10_000) + "limit=3").limit == 100, "at most 16 parameters are read")
    }

    @Test("sorted by the column asked, ties in info-hash order, cut to the page; the filter matches names and hash prefixes")
    func paging() {
        let torrents = Listed(torrents: (1...10).map { Self.info(UInt64($0), seeders: $0 % 3, leechers: $0) }, readAt: TrackerTime(seconds: 100), previous: nil)
        let names = [Fixture.hash(4): CatalogEntry(metainfo: TorrentMetainfo(v1: Fixture.hash(4), v2: nil, name: "Debian 12", totalLength: 5,
                                                                               fileCount: 1, pieceLength: 16384, isPrivate: false), path: "/x")]
        let page = StatsQuery("sort=leechers&order=desc&limit=3&offset=2").page(torrents, names: names)
        #expect(page.items.map(\.leechers) == [8, 7, 6] && page.total == 10)
        let seeders = StatsQuery("limit=10").page(torrents, names: names).items.map(\.seeders)
        #expect(seeders == seeders.sorted(by: >))
        let filtered = StatsQuery("q=debian").page(torrents, names: names)
        #expect(filtered.items.map(\.name) == ["Debian 12"] && filtered.total == 1)
        let byHex = StatsQuery("q=\(Fixture.hash(5).hex.prefix(12))").page(torrents, names: names)
        #expect(byHex.items.map(\.info_hash) == [Fixture.hash(5).hex])
        #expect(StatsQuery("offset=50").page(torrents, names: names).items.isEmpty)
        let busy = Listed(torrents: [(1, 5), (2, 50), (3, 0)].map { n, announces in
            TorrentInfo(infoHash: Fixture.hash(n), counts: SwarmCounts(seeders: 0, leechers: 1, completed: 0), announces: announces,
                        firstSeen: TrackerTime(seconds: 1), lastActivity: TrackerTime(seconds: 1))
        }, readAt: TrackerTime(seconds: 100), previous: nil)
        #expect(StatsQuery("sort=announces").page(busy, names: [:]).items.map(\.announces) == [50, 5, 0], "most announces first")
    }

    @Test("the page escapes names from .torrent files")
    func escaping() {
        #expect(StatsPage.escape("<script>alert('x')</script> & \"q\"") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
    }

    @Test("the request history is bounded to an hour and gives rates between samples; a counter that went down counts zero")
    func history() {
        let history = RequestHistory()
        for i in 0..<(RequestHistory.capacity + 20) {
            history.record(ProtocolCounts(http: RequestCounts(announces: UInt64(i * 100))), at: TrackerTime(seconds: Int64(i) * 10))
        }
        #expect(history.announceRates.count == RequestHistory.capacity - 1 && history.announceRates.allSatisfy { $0 == 10 })
        history.record(ProtocolCounts(), at: TrackerTime(seconds: 100_000))
        #expect(history.announceRates.last == 0)
    }
}

extension StatsPagesTests {
    @Test("announces per minute come from a listing up to a minute older; each sort order is computed once per listing")
    func perMinute() {
        let first = Listed(torrents: [Self.info(1, seeders: 1, leechers: 0)], readAt: TrackerTime(seconds: 0), previous: nil)
        var later = Self.info(1, seeders: 1, leechers: 0)
        later.announces = 30
        let second = Listed(torrents: [later], readAt: TrackerTime(seconds: 30), previous: first)
        #expect(second.perMinute(later) == 60)
        #expect(second.order("seeders", names: [:]) == [0] && second.order("rate", names: [:]) == [0])
    }

    @Test("the listing: kept while under 10 s old, refreshed in the background past it, waited for past a minute or when fresh is asked")
    func listingAges() async throws {
        let store = MemorySwarmStore()
        let start = TrackerTime(seconds: 1_700_000_000)
        func add(_ n: UInt64) async throws {
            _ = try await store.announce(Fixture.announce(Fixture.hash(n), Fixture.v4(UInt8(n)), id: n, left: 5), now: start)
        }
        let listing = TorrentListing(store: store, names: { [:] })
        try await add(1)
        #expect(await listing.current(now: start).torrents.count == 1, "the first listing is read at once")
        try await add(2)
        #expect(await listing.current(now: start.adding(seconds: 9)).torrents.count == 1, "under 10 s old: kept")
        try await Task.sleep(for: .milliseconds(100))
        #expect(await listing.current(now: start.adding(seconds: 9)).torrents.count == 1, "and not read again behind")
        #expect(await listing.current(now: start.adding(seconds: 10)).torrents.count == 1, "past it: answered at once, read again behind")
        var refreshed = 0
        for _ in 0..<200 where refreshed != 2 {
            refreshed = await listing.current(now: start.adding(seconds: 11)).torrents.count
            if refreshed != 2 { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(refreshed == 2, "the background read arrived")
        try await add(3)
        #expect(await listing.current(now: start.adding(seconds: 12), fresh: true).torrents.count == 3, "fresh: read for the call")
        try await add(4)
        #expect(await listing.current(now: start.adding(seconds: 80)).torrents.count == 4, "over a minute old: the page waits for a new one")
    }

    @Test("the pages' address file: the admin listener first, a wildcard as its family's loopback, nothing that does not parse")
    func pagesAddressFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tt-pages-\(UUID().uuidString)").path
        try PrivateFiles.makeDirectory(directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(PagesAddressFile.read(directory: directory) == nil, "none written yet")
        try PagesAddressFile.write(admin: [], http: [ListenAddress("0.0.0.0:6969")!, ListenAddress("[::]:6969")!], directory: directory)
        #expect(PagesAddressFile.read(directory: directory) == ListenAddress("127.0.0.1:6969"))
        try PagesAddressFile.write(admin: [ListenAddress("[::]:7000")!], http: [ListenAddress("0.0.0.0:6969")!], directory: directory)
        #expect(PagesAddressFile.read(directory: directory) == ListenAddress("[::1]:7000"))
        try PrivateFiles.replace(PagesAddressFile.path(in: directory), with: Array("localhost\n".utf8))
        #expect(PagesAddressFile.read(directory: directory) == nil)
    }
}
