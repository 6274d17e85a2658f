import Testing
import TrackerTestSupport
@testable import TrackerEngine

/// The SwarmStore contract (see `SwarmStore`'s doc comment), checked against every backend.
@Suite("SwarmStore conformance")
struct SwarmStoreConformanceTests {
    let now = TrackerTime(seconds: 1_700_000_000)

    @Test("the first peer gets no peers, never itself, and is counted", arguments: StoreBackend.allCases)
    func firstPeer(backend: StoreBackend) async throws {
        let store = try backend.makeStore()
        let r = try await store.announce(Fixture.announce(Fixture.hash(1), Fixture.v4(1), event: .started), now: now)
        #expect(r.counts == SwarmCounts(seeders: 0, leechers: 1, completed: 0))
        #expect(r.compactPeers.isEmpty)
    }

    @Test("a leecher gets seeders and leechers; a seeder gets only leechers; nobody gets itself", arguments: StoreBackend.allCases)
    func peerSelection(backend: StoreBackend) async throws {
        let store = try backend.makeStore()
        let h = Fixture.hash(2)
        for i in 1...3 { _ = try await store.announce(Fixture.announce(h, Fixture.v4(UInt8(i)), id: UInt64(i), left: 0), now: now) }
        for i in 4...6 { _ = try await store.announce(Fixture.announce(h, Fixture.v4(UInt8(i)), id: UInt64(i), left: 10), now: now) }

        let seeder = try await store.announce(Fixture.announce(h, Fixture.v4(1), id: 1, left: 0), now: now)
        #expect(Set(seeder.peers(family: .ipv4)) == Set([Fixture.v4(4), Fixture.v4(5), Fixture.v4(6)]))
        #expect(seeder.counts == SwarmCounts(seeders: 3, leechers: 3, completed: 0))

        let leecher = try await store.announce(Fixture.announce(h, Fixture.v4(4), id: 4, left: 10), now: now)
        #expect(Set(leecher.peers(family: .ipv4)) == Set([1, 2, 3, 5, 6].map { Fixture.v4($0) }))
    }

    @Test("numwant bounds the peers returned, and the sample has no duplicates", arguments: StoreBackend.allCases)
    func numwant(backend: StoreBackend) async throws {
        let store = try backend.makeStore()
        let h = Fixture.hash(3)
        for i in 0..<300 {
            _ = try await store.announce(Fixture.announce(h, .v4(IPv4Endpoint(address: 0x0A00_0000 + UInt32(i), port: 7000)), id: UInt64(i), numwant: 0), now: now)
        }
        let me = PeerEndpoint.v4(IPv4Endpoint(address: 0x0A00_0000 + 17, port: 7000))
        for want in [0, 1, 50, 200] {
            let r = try await store.announce(Fixture.announce(h, me, id: 17, numwant: want), now: now)
            let peers = r.peers(family: me.family)
            #expect(peers.count == want)
            #expect(Set(peers).count == peers.count)
            #expect(!peers.contains(me))
        }
        let all = try await store.announce(Fixture.announce(h, me, id: 17, numwant: 1000), now: now)
        #expect(all.peers(family: me.family).count == 299)
    }

    @Test("stopped removes the peer and returns no peers; an unknown peer's stopped is answered", arguments: StoreBackend.allCases)
    func stopped(backend: StoreBackend) async throws {
        let store = try backend.makeStore()
        let h = Fixture.hash(4)
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(1), id: 1), now: now)
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(2), id: 2), now: now)
        let r = try await store.announce(Fixture.announce(h, Fixture.v4(2), id: 2, event: .stopped), now: now)
        #expect(r.counts == SwarmCounts(seeders: 0, leechers: 1, completed: 0))
        #expect(r.compactPeers.isEmpty)

        let unknownHash = Fixture.hash(40)
        let unknown = try await store.announce(Fixture.announce(unknownHash, Fixture.v4(9), event: .stopped), now: now)
        #expect(unknown.counts == SwarmCounts())
        #expect(try await store.scrape([unknownHash], now: now).isEmpty, "a stopped from nobody creates no torrent")
    }

    @Test("a completion counts once, only for a known leecher, and makes it a seeder", arguments: StoreBackend.allCases)
    func completion(backend: StoreBackend) async throws {
        let store = try backend.makeStore()
        let h = Fixture.hash(5)
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(1), id: 1, left: 50, event: .started), now: now)
        var r = try await store.announce(Fixture.announce(h, Fixture.v4(1), id: 1, left: 0, event: .completed), now: now)
        #expect(r.counts == SwarmCounts(seeders: 1, leechers: 0, completed: 1))
        r = try await store.announce(Fixture.announce(h, Fixture.v4(1), id: 1, left: 0, event: .completed), now: now)
        #expect(r.counts.completed == 1, "a repeated completed is not counted again")

        // Seeder drops back to leecher (data lost) and completes again: still the same peer, not counted twice.
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(1), id: 1, left: 10), now: now)
        r = try await store.announce(Fixture.announce(h, Fixture.v4(1), id: 1, left: 0, event: .completed), now: now)
        #expect(r.counts.completed == 1)

        // An unknown peer claiming completion is a seeder, not a completion.
        r = try await store.announce(Fixture.announce(h, Fixture.v4(2), id: 2, left: 0, event: .completed), now: now)
        #expect(r.counts == SwarmCounts(seeders: 2, leechers: 0, completed: 1))

        // A known leecher saying completed with bytes left stays a leecher, uncounted.
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(3), id: 3, left: 5), now: now)
        r = try await store.announce(Fixture.announce(h, Fixture.v4(3), id: 3, left: 5, event: .completed), now: now)
        #expect(r.counts == SwarmCounts(seeders: 2, leechers: 1, completed: 1))
    }

    @Test("IPv4 and IPv6 peers are kept apart but counted together", arguments: StoreBackend.allCases)
    func families(backend: StoreBackend) async throws {
        let store = try backend.makeStore()
        let h = Fixture.hash(6)
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(1), id: 1, left: 0), now: now)
        _ = try await store.announce(Fixture.announce(h, Fixture.v6(1), id: 2, left: 0), now: now)
        let v4 = try await store.announce(Fixture.announce(h, Fixture.v4(2), id: 3), now: now)
        #expect(v4.peers(family: .ipv4) == [Fixture.v4(1)])
        #expect(v4.compactPeers.count == 6)
        #expect(v4.counts == SwarmCounts(seeders: 2, leechers: 1, completed: 0), "an IPv4 announcer counts the IPv6 peers too")
        let v6 = try await store.announce(Fixture.announce(h, Fixture.v6(2), id: 4), now: now)
        #expect(v6.peers(family: .ipv6) == [Fixture.v6(1)])
        #expect(v6.compactPeers.count == 18)
        #expect(v6.counts == SwarmCounts(seeders: 2, leechers: 2, completed: 0))
    }

    @Test("the same IP on two ports is two peers; the same endpoint with a new peer id is one", arguments: StoreBackend.allCases)
    func identity(backend: StoreBackend) async throws {
        let store = try backend.makeStore()
        let h = Fixture.hash(7)
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(1, port: 1000), id: 1), now: now)
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(1, port: 1001), id: 2), now: now)
        let r = try await store.announce(Fixture.announce(h, Fixture.v4(1, port: 1001), id: 3), now: now)
        #expect(r.counts.leechers == 2)
        let details = try await store.peers(of: h, now: now)
        #expect(details.first { $0.endpoint == Fixture.v4(1, port: 1001) }?.peerID == Fixture.peerID(3))
    }

    @Test("peers not seen within the timeout expire; fresh ones stay", arguments: StoreBackend.allCases)
    func expiry(backend: StoreBackend) async throws {
        let store = try backend.makeStore(peerTimeout: 100)
        let clock = ManualClock(now)
        let h = Fixture.hash(8)
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(1), id: 1), now: clock.now())
        clock.advance(seconds: 60)
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(2), id: 2), now: clock.now())
        clock.advance(seconds: 50)  // peer 1 last seen 110 s ago, peer 2 50 s ago
        #expect(try await store.expire(now: clock.now()) == 1)
        #expect(try await store.scrape([h], now: clock.now()).first?.counts.leechers == 1)
        clock.advance(seconds: 100)
        #expect(try await store.expire(now: clock.now()) == 1)
        #expect(try await store.scrape([h], now: clock.now()).isEmpty, "an empty swarm with no completions is forgotten")
    }

    @Test("an empty swarm keeps its completed count", arguments: StoreBackend.allCases)
    func completedSurvivesEmptySwarm(backend: StoreBackend) async throws {
        let store = try backend.makeStore(peerTimeout: 100)
        let h = Fixture.hash(9)
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(1), id: 1, left: 5), now: now)
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(1), id: 1, left: 0, event: .completed), now: now)
        _ = try await store.expire(now: now.adding(seconds: 1000))
        #expect(try await store.scrape([h], now: now).first?.counts == SwarmCounts(seeders: 0, leechers: 0, completed: 1))
    }

    @Test("scrape answers known torrents and leaves unknown ones out; full scrape lists all", arguments: StoreBackend.allCases)
    func scrape(backend: StoreBackend) async throws {
        let store = try backend.makeStore()
        for n in UInt64(10)..<15 {
            _ = try await store.announce(Fixture.announce(Fixture.hash(n), Fixture.v4(1), left: n % 2 == 0 ? 0 : 1), now: now)
        }
        let entries = try await store.scrape([Fixture.hash(10), Fixture.hash(11), Fixture.hash(99)], now: now)
        #expect(Set(entries.map(\.infoHash)) == [Fixture.hash(10), Fixture.hash(11)])
        #expect(entries.first { $0.infoHash == Fixture.hash(10) }?.counts == SwarmCounts(seeders: 1, leechers: 0, completed: 0))
        let full = try await store.fullScrape(now: now)
        #expect(Set(full.map(\.infoHash)) == Set((UInt64(10)..<15).map(Fixture.hash)))
    }

    @Test("peer ids come back in the order of the peers when asked", arguments: StoreBackend.allCases)
    func peerIDs(backend: StoreBackend) async throws {
        let store = try backend.makeStore()
        let h = Fixture.hash(20)
        for i in 1...5 { _ = try await store.announce(Fixture.announce(h, Fixture.v4(UInt8(i)), id: UInt64(i), left: 0), now: now) }
        let r = try await store.announce(Fixture.announce(h, Fixture.v4(9), id: 9, wantsPeerIDs: true), now: now)
        let peers = r.peers(family: .ipv4)
        #expect(r.peerIDs.count == peers.count)
        for (peer, id) in zip(peers, r.peerIDs) {
            guard case .v4(let e) = peer else { Issue.record("expected IPv4"); continue }
            #expect(id == Fixture.peerID(UInt64(e.address & 0xFF)))
        }
        let compactOnly = try await store.announce(Fixture.announce(h, Fixture.v4(9), id: 9), now: now)
        #expect(compactOnly.peerIDs.isEmpty)
    }

    @Test("kick removes one peer; purge removes the swarm and its counts", arguments: StoreBackend.allCases)
    func moderation(backend: StoreBackend) async throws {
        let store = try backend.makeStore()
        let h = Fixture.hash(30)
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(1), id: 1), now: now)
        _ = try await store.announce(Fixture.announce(h, Fixture.v6(1), id: 2, left: 0), now: now)
        #expect(try await store.remove(peer: Fixture.v6(1), from: h))
        #expect(try await !store.remove(peer: Fixture.v6(1), from: h))
        #expect(try await store.scrape([h], now: now).first?.counts == SwarmCounts(seeders: 0, leechers: 1, completed: 0))
        #expect(try await store.purge(h))
        #expect(try await store.scrape([h], now: now).isEmpty)
        #expect(try await !store.purge(h))
    }

    @Test("peer detail and torrent lifecycle are recorded", arguments: StoreBackend.allCases)
    func detailAndLifecycle(backend: StoreBackend) async throws {
        let store = try backend.makeStore()
        let h = Fixture.hash(31)
        var request = Fixture.announce(h, Fixture.v4(1), id: 1, left: 700, event: .started)
        request.uploaded = 11
        request.downloaded = 22
        request.key = 0xBEEF
        _ = try await store.announce(request, now: now)
        let later = now.adding(seconds: 120)
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(1), id: 1, left: 0, event: .completed), now: later)

        let peer = try #require(try await store.peers(of: h, now: later).first)
        #expect(peer.isSeeder)
        #expect(peer.left == 0)
        #expect(peer.lastEvent == .completed)
        #expect(peer.key == 0xBEEF, "the key is remembered from the announce that sent it")
        #expect(peer.firstSeen == now)
        #expect(peer.lastSeen == later)

        let info = try #require(try await store.torrents(now: later).first { $0.infoHash == h })
        #expect(info.announces == 2)
        #expect(info.firstSeen == now)
        #expect(info.firstStarted == now)
        #expect(info.lastStarted == now)
        #expect(info.firstCompleted == later)
        #expect(info.lastCompleted == later)
        #expect(info.lastActivity == later)
        #expect(info.counts == SwarmCounts(seeders: 1, leechers: 0, completed: 1))
    }

    @Test("the dashboard's refresh: torrents active since a time, the most recent first when limited", arguments: StoreBackend.allCases)
    func torrentsActiveSince(backend: StoreBackend) async throws {
        let store = try backend.makeStore()
        let a = Fixture.hash(401), b = Fixture.hash(402), c = Fixture.hash(403)
        for (n, hash) in [a, b, c].enumerated() {
            _ = try await store.announce(Fixture.announce(hash, Fixture.v4(UInt8(n + 1))), now: now.adding(seconds: Int64(20 * n)))
        }
        func listed(since seconds: Int64?, limit: Int?) async throws -> [InfoHash] {
            try await store.torrents(activeSince: seconds.map { now.adding(seconds: $0) }, limit: limit, now: now.adding(seconds: 60)).map(\.infoHash)
        }
        #expect(Set(try await listed(since: nil, limit: nil)) == [a, b, c])
        #expect(Set(try await listed(since: 20, limit: nil)) == [b, c], "activity at or after the time")
        #expect(try await listed(since: 20, limit: 1) == [c], "the most recent")
        #expect(Set(try await listed(since: nil, limit: 2)) == [b, c], "the two most recent of all")
        #expect(try await listed(since: 41, limit: nil).isEmpty)

        _ = try await store.announce(Fixture.announce(a, Fixture.v4(1)), now: now.adding(seconds: 60))
        #expect(try await listed(since: 50, limit: nil) == [a], "a torrent announced to again is listed again")
        #expect(try await listed(since: 50, limit: 5) == [a])
    }

    @Test("concurrent announces to many swarms lose nothing", arguments: StoreBackend.allCases)
    func concurrency(backend: StoreBackend) async throws {
        let store = try backend.makeStore()
        let now = self.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for i in 0..<200 {
                        let endpoint = PeerEndpoint.v4(IPv4Endpoint(address: UInt32(worker) << 16 | UInt32(i), port: 1))
                        _ = try await store.announce(Fixture.announce(Fixture.hash(UInt64(i % 10)), endpoint, id: UInt64(i)), now: now)
                    }
                }
            }
            try await group.waitForAll()
        }
        let entries = try await store.scrape((0..<10).map { Fixture.hash(UInt64($0)) }, now: now)
        #expect(entries.map(\.counts.leechers).reduce(0, +) == 1600)
    }

    @Test("samples over many announces: distinct, never the announcer, as many as exist up to numwant", arguments: StoreBackend.allCases)
    func repeatedSamples(backend: StoreBackend) async throws {
        let store = try backend.makeStore()
        let h = Fixture.hash(60)
        // 10 seeders and 20 leechers.
        for i in 1...30 {
            _ = try await store.announce(Fixture.announce(h, Fixture.v4(UInt8(i)), id: UInt64(i), left: i <= 10 ? 0 : 5), now: now)
        }
        for round in 0..<5 {
            for i in 1...30 {
                let me = Fixture.v4(UInt8(i))
                let numwant = [5, 15, 25, 29, 50][round]
                let r = try await store.announce(Fixture.announce(h, me, id: UInt64(i), left: i <= 10 ? 0 : 5, numwant: numwant), now: now)
                let peers = r.peers(family: me.family)
                #expect(Set(peers).count == peers.count, "no peer twice")
                #expect(!peers.contains(me))
                let available = i <= 10 ? 20 : 29
                #expect(peers.count == min(numwant, available))
                if i <= 10 { #expect(peers.allSatisfy { p in (11...30).contains { Fixture.v4(UInt8($0)) == p } }, "a seeder gets leechers only") }
            }
        }
    }

    @Test("calls through a lane are answered once released, as one batch", arguments: StoreBackend.allCases)
    func laneCalls(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        let lane = store.makeLane()
        let h = Fixture.hash(61)
        let answers = Locked<[String]>([])
        for i in 1...3 {
            lane.announce(Fixture.announce(h, Fixture.v4(UInt8(i)), id: UInt64(i), left: 5), now: now) { result in
                answers.update { $0.append("announce \(i): \((try? result.get().counts.leechers).map(String.init) ?? "failed")") }
            }
        }
        lane.scrape([h], now: now) { result in
            answers.update { $0.append("scrape: \((try? result.get().first?.counts.leechers).map(String.init) ?? "failed")") }
        }
        lane.send()
        #expect(!lane.driveUntilAnswered())
        // In any order (Redis answers a batch's scrapes as they are read, its announces together).
        #expect(answers.value.sorted() == ["announce 1: 1", "announce 2: 2", "announce 3: 3", "scrape: 3"])
        // Empty scrapes are answered at once; an idle lane has nothing out.
        lane.scrape([], now: now) { result in answers.update { $0.append("empty: \((try? result.get().count) ?? -1)") } }
        #expect(answers.value.last == "empty: 0")
        #expect(lane.waitDescriptor == nil)
    }
}
