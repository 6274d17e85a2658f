import Testing
@testable import trackertui
import TrackerEngine

/// The dashboard's state machine: keys in (as intents), state and effects out.
@Suite("Dashboard reducer")
struct ReducerTests {
    @Test("the table starts sorted by seeders, largest first; s moves to the next column; I inverts")
    func sorting() {
        var state = Fixtures.state()
        #expect(state.rows.map(\.infoHash.hex.first) == ["c", "a", "b"])
        _ = state.apply(.sortNext)
        #expect(state.sort == .leechers)
        #expect(state.rows.first?.infoHash == Fixtures.hash("bb"))
        _ = state.apply(.invertSort)
        #expect(state.rows.first?.infoHash == Fixtures.hash("cc"), "fewest leechers first once inverted")
        _ = state.apply(.sortPrevious)
        #expect(state.sort == .seeders)
        _ = state.apply(.sortPrevious)
        #expect(state.sort == .size)
        _ = state.apply(.sortPrevious)
        #expect(state.sort == .name)
        #expect(state.rows.map(\.title) == [Fixtures.hash("bb").hex, "debian-12.iso", "ubuntu-24.04.iso"], "A→Z by title")
    }

    @Test("the filter matches info-hash prefixes and names; Esc clears it")
    func filter() {
        var state = Fixtures.state()
        _ = state.apply(.startFilter)
        for c in "UBU" { _ = state.apply(.filterType(c)) }
        #expect(state.rows.map(\.name) == ["ubuntu-24.04.iso"], "names match without regard to case")
        _ = state.apply(.filterErase)
        _ = state.apply(.filterErase)
        _ = state.apply(.filterErase)
        _ = state.apply(.filterType("b"))
        _ = state.apply(.filterType("b"))
        _ = state.apply(.filterAccept)
        #expect(state.editingFilter == false)
        #expect(state.rows.map(\.infoHash) == [Fixtures.hash("bb")], "a hex prefix matches")
        _ = state.apply(.back)
        #expect(state.filter.isEmpty)
        #expect(state.rows.count == 3)
    }

    @Test("the selection stays on its torrent when a refresh re-sorts the table")
    func selectionFollowsTorrent() {
        var state = Fixtures.state()
        _ = state.apply(.down)
        #expect(state.selected == Fixtures.hash("aa"))
        _ = state.apply(.snapshot(Fixtures.snapshot([
            Fixtures.row("aa", seeders: 1), Fixtures.row("bb", seeders: 50), Fixtures.row("cc", seeders: 20),
        ])))
        #expect(state.selectedRow?.infoHash == Fixtures.hash("aa"))
        #expect(state.torrentCursor.index == 2)
    }

    @Test("scrolling keeps the cursor on a visible row and inside the table")
    func scrolling() {
        var state = DashboardState(quitStopsEngine: true)
        _ = state.apply(.resize(rows: 24, columns: 80))
        _ = state.apply(.snapshot(Fixtures.snapshot((0..<100).map { Fixtures.row(String(format: "%02x", $0), seeders: 100 - $0) })))
        #expect(state.page == 16)
        _ = state.apply(.pageDown)
        #expect(state.torrentCursor.index == 16)
        #expect(state.torrentCursor.top == 1)
        _ = state.apply(.end)
        #expect(state.torrentCursor.index == 99)
        #expect(state.torrentCursor.top == 84)
        _ = state.apply(.down)
        #expect(state.torrentCursor.index == 99)
        _ = state.apply(.home)
        #expect(state.torrentCursor == ListCursor(index: 0, top: 0))
        _ = state.apply(.up)
        #expect(state.torrentCursor.index == 0)
        _ = state.apply(.resize(rows: 10, columns: 80))
        _ = state.apply(.end)
        #expect(state.torrentCursor.top == 98, "2 rows visible at 10 lines")
    }

    @Test("b asks first; y blacklists the selected torrent, anything else cancels")
    func blacklistIsConfirmed() {
        var state = Fixtures.state()
        #expect(state.apply(.blacklist).isEmpty)
        #expect(state.confirmation?.question.hasPrefix("Blacklist cc00") == true)
        #expect(state.apply(.confirm(false)).isEmpty)
        #expect(state.confirmation == nil)
        _ = state.apply(.blacklist)
        #expect(state.apply(.confirm(true)) == [.blacklist(Fixtures.hash("cc"))])
    }

    @Test("d asks first, then deregisters the selected torrent; A shows the archive and loads it on each refresh; u in the access view registers again")
    func deregisterIsConfirmed() {
        var state = Fixtures.state()
        #expect(state.apply(.deregister).isEmpty)
        #expect(state.confirmation?.question.hasSuffix("drop its swarm and archive its history? (y/n)") == true)
        #expect(state.apply(.confirm(true)) == [.deregister(Fixtures.hash("cc"))])

        #expect(state.apply(.showArchive) == [.loadArchive])
        #expect(state.screen == .archive)
        let record = ArchivedTorrent(infoHash: Fixtures.hash("cc"), name: "debian.iso", deregistered: Fixtures.now)
        _ = state.apply(.archiveLoaded([record]))
        #expect(state.archive == [record])
        var moderation = ModerationState()
        moderation.deregistered[Fixtures.hash("cc")] = Fixtures.now
        #expect(state.apply(.snapshot(Fixtures.snapshot([], moderation: moderation))) == [.loadArchive])

        _ = state.apply(.showModeration)
        #expect(state.moderationItems == [.deregistered(Fixtures.hash("cc"), at: Fixtures.now)])
        _ = state.apply(.lift)
        #expect(state.confirmation?.question.hasPrefix("Register \"debian.iso\" again") == true, "named from the archive once the row is gone")
        #expect(state.apply(.confirm(true)) == [.reregister(Fixtures.hash("cc"))])
    }

    @Test("a question waits through refreshes; keys other than y/n do not act meanwhile")
    func questionWaits() {
        var state = Fixtures.state()
        _ = state.apply(.blacklist)
        _ = state.apply(.snapshot(Fixtures.snapshot([Fixtures.row("cc", seeders: 1)])))
        #expect(state.apply(.down).isEmpty)
        #expect(state.confirmation != nil)
    }

    @Test("Enter opens the peers and asks for them; k kicks and K bans the selected peer, each after y; Esc goes back")
    func peers() {
        var state = Fixtures.state()
        state.banSeconds = 600
        #expect(state.apply(.open) == [.loadPeers(Fixtures.hash("cc"))])
        #expect(state.screen == .peers(Fixtures.hash("cc")))
        _ = state.apply(.peersLoaded(Fixtures.hash("cc"), [Fixtures.peer(2, seeder: false), Fixtures.peer(1, seeder: true)]))
        #expect(state.peers.map(\.isSeeder) == [true, false], "seeders listed first")
        _ = state.apply(.down)
        _ = state.apply(.kick)
        #expect(state.apply(.confirm(true)) == [.kick(Fixtures.peer(2, seeder: false).endpoint, from: Fixtures.hash("cc"))])
        _ = state.apply(.ban)
        #expect(state.confirmation?.question == "Ban 10.0.0.2 for 10m? (y/n)")
        #expect(state.apply(.confirm(true)) == [.ban(AddressRange("10.0.0.2")!, seconds: 600, dropping: Fixtures.peer(2, seeder: false).endpoint,
                                                     from: Fixtures.hash("cc"))])
        #expect(state.apply(.snapshot(Fixtures.snapshot([]))) == [.loadPeers(Fixtures.hash("cc"))], "the peers refresh with each sample")
        _ = state.apply(.back)
        #expect(state.screen == .torrents)
    }

    @Test("K on an IPv6 peer bans its /64: a client rotates freely inside it")
    func banSlash64() {
        var state = Fixtures.state()
        state.banSeconds = 600
        _ = state.apply(.open)
        var peer = Fixtures.peer(2, seeder: false)
        peer.endpoint = .v6(IPv6Endpoint(high: 0x2001_0DB8_0001_0002, low: 0x1234_5678, port: 6881))
        _ = state.apply(.peersLoaded(Fixtures.hash("cc"), [peer]))
        _ = state.apply(.ban)
        #expect(state.confirmation?.question == "Ban 2001:db8:1:2::/64 for 10m? (y/n)")
        #expect(state.apply(.confirm(true)) == [.ban(AddressRange("2001:db8:1:2::/64")!, seconds: 600, dropping: peer.endpoint, from: Fixtures.hash("cc"))])
    }

    @Test("the access view lists blacklist, bans, then the whitelist; u lifts the selected blacklist entry or ban, not a whitelist line")
    func moderationView() {
        var state = Fixtures.state()
        let banned = AddressRange("10.0.0.7")!
        var snapshot = Fixtures.snapshot([], moderation: ModerationState(blacklist: [Fixtures.hash("dd")], bans: [banned: Fixtures.now.adding(seconds: 90)]))
        snapshot.access = AccessSummary(mode: "closed", registered: 12, whitelist: [Fixtures.hash("ab")])
        _ = state.apply(.snapshot(snapshot))
        _ = state.apply(.showModeration)
        #expect(state.moderationItems == [.blacklisted(Fixtures.hash("dd")), .banned(banned, until: Fixtures.now.adding(seconds: 90)),
                                          .whitelisted(Fixtures.hash("ab"))])
        _ = state.apply(.lift)
        #expect(state.apply(.confirm(true)) == [.unblacklist(Fixtures.hash("dd"))])
        _ = state.apply(.down)
        _ = state.apply(.lift)
        #expect(state.apply(.confirm(true)) == [.unban(banned)])
        _ = state.apply(.down)
        #expect(state.apply(.lift).isEmpty && state.confirmation == nil)
        #expect(state.message?.contains("--whitelist") == true, "the whitelist is edited in its file")
        _ = state.apply(.end)  // any key clears the message: the status line shows the mode
        let grid = DashboardView(glyphs: .unicode).render(state)
        #expect(grid.line(22).hasPrefix("Mode closed (12 torrents registered)  1 blacklisted, 1 banned, 0 deregistered"))
        #expect((0..<24).contains { grid.line($0).hasPrefix("whitelist  " + Fixtures.hash("ab").hex) })
        _ = state.apply(.back)
        #expect(state.screen == .torrents)
    }

    @Test("q asks when it stops the tracker, and quits at once when only attached")
    func quitting() {
        var engine = Fixtures.state(quitStopsEngine: true)
        #expect(engine.apply(.quit).isEmpty)
        #expect(engine.apply(.confirm(true)) == [.quit])
        var attached = Fixtures.state(quitStopsEngine: false)
        #expect(attached.apply(.quit) == [.quit])
        #expect(attached.finished)
    }

    @Test("action results show on the status line; a failure says so")
    func messages() {
        var state = Fixtures.state()
        _ = state.apply(.actionFailed("redis unavailable"))
        #expect(state.message == "Failed: redis unavailable")
        _ = state.apply(.down)
        #expect(state.message == nil, "the next key clears it")
    }
}
