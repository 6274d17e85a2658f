import Testing
@testable import trackertui
import TrackerEngine

/// The screens drawn onto a cell grid: no terminal needed.
@Suite("Dashboard views")
struct ViewTests {
    let view = DashboardView(glyphs: .unicode)

    @Test("at 80×24: header meters, the sorted table, the status line and the key bar")
    func torrentsScreen() {
        let grid = view.render(Fixtures.state())
        #expect(grid.rows == 24 && grid.columns == 80)
        #expect(grid.line(0).hasPrefix("trackertui  up 1h02m  http://127.0.0.1:6969"))
        #expect(grid.line(1).contains("redis unix:///tmp/r.sock  connected 0.4ms"))
        #expect(grid.line(2).hasPrefix("Torrents 3  Peers 23  Seeders 15  Leechers 8  Blacklisted 0  Bans 0"))
        #expect(grid.line(3).hasPrefix("Announces/s    13  HTTP   10  UDP  2.5  "), "rates of 10 and more are whole; each protocol beside the total")
        #expect(grid.line(3).hasSuffix("▁▂▃▆█"), "the sparkline ends with the last five seconds")
        #expect(grid.line(4).hasPrefix("Scrapes/s     1.0  HTTP  0.0  UDP  1.0  Failures/s   2.0  HTTP  2.0  UDP  0.0"))
        #expect(grid[4, 55].role == .bad && grid[4, 76].role == .value, "failures show red where there are some")
        #expect(grid.line(5).hasPrefix("NAME / INFO-HASH"))
        #expect(grid.line(5).contains("SEED▼"), "the sort column is marked")
        #expect(grid.line(6).hasPrefix("ubuntu-24.04.iso"))
        #expect(grid.line(6).hasSuffix("9      0     40     1.0     5s"))
        #expect(grid[6, 0].role == .selected, "the first row is selected")
        #expect(grid[7, 0].role == .normal)
        #expect(grid.line(22).hasPrefix("3 of 3 torrents"))
        #expect(grid.line(23).hasPrefix("F1Help /Filter sSort EnterPeers iInfo bBlacklist"))
    }

    @Test("the store meter says when the store cannot be reached")
    func unreachableStore() {
        var state = Fixtures.state()
        var snapshot = Fixtures.snapshot([])
        snapshot.store = StoreHealth(state: .unreachable, latencyMicros: nil, description: "redis redis://127.0.0.1:6379/0")
        _ = state.apply(.snapshot(snapshot))
        let grid = view.render(state)
        #expect(grid.line(1).contains("redis redis://127.0.0.1:6379/0  UNREACHABLE, reconnecting"))
        #expect(grid[1, grid.line(1).distance(from: grid.line(1).startIndex, to: grid.line(1).range(of: "UNREACHABLE")!.lowerBound)].role == .bad)
    }

    @Test("a full Redis shows on the store meter; a permanent ban reads 'forever' and a CIDR ban its range")
    func fullStoreAndPermanentBans() {
        var state = Fixtures.state()
        var snapshot = Fixtures.snapshot([], moderation: ModerationState(bans: [
            AddressRange("203.0.113.0/24")!: .distantFuture, AddressRange("2001:db8:1:2::/64")!: Fixtures.now.adding(seconds: 600)]))
        snapshot.store = StoreHealth(state: .full, latencyMicros: 120, description: "redis unix:///x/redis.sock")
        _ = state.apply(.snapshot(snapshot))
        #expect(view.render(state).line(1).contains("FULL (maxmemory), refusing new peers"))
        _ = state.apply(.showModeration)
        let text = (0..<24).map { view.render(state).line($0) }.joined(separator: "\n")
        #expect(text.contains("2001:db8:1:2::/64"), "\(text)")
        #expect(text.contains("203.0.113.0/24"))
        #expect(text.contains("forever"), "a ban until the end of time does not overflow the countdown")
    }

    @Test("blacklisted torrents are marked; a pending question replaces the status line")
    func marksAndQuestions() {
        var state = Fixtures.state()
        _ = state.apply(.snapshot(Fixtures.snapshot([Fixtures.row("ee", seeders: 0, idle: 0, blacklisted: true)],
                                                    moderation: ModerationState(blacklist: [Fixtures.hash("ee")]))))
        _ = state.apply(.unblacklist)
        let grid = view.render(state)
        #expect(grid.line(6).hasPrefix("⊘ ee000000"))
        #expect(grid[6, 0].role == .selected)
        #expect(grid.line(22).hasPrefix("Lift the blacklist on ee00000000000000…? (y/n)"))
        #expect(grid[22, 0].role == .warning)
    }

    @Test("the peers view decodes clients and sizes")
    func peersScreen() {
        var state = Fixtures.state()
        _ = state.apply(.open)
        _ = state.apply(.peersLoaded(Fixtures.hash("cc"), [Fixtures.peer(1, seeder: true), Fixtures.peer(2, seeder: false, id: "-TR3000-abcdefghijkl")]))
        let grid = view.render(state)
        #expect(grid.line(5).hasPrefix("ADDRESS"))
        #expect(grid.line(6).hasPrefix("10.0.0.1:6881"))
        #expect(grid.line(6).contains("seed  qBittorrent 4.5.2"))
        #expect(grid.line(6).contains("1.0M   3.0G     0B   10s"))
        #expect(grid.line(7).contains("leech Transmission 3.00"))
        #expect(grid.line(22).hasPrefix("Peers of cc000000"))
        #expect(grid.line(23).hasPrefix("EscBack kKick KBan 1h"))
    }

    @Test("wide characters take two columns and are clipped whole; ASCII glyphs outside UTF-8")
    func widthsAndFallback() {
        var state = Fixtures.state()
        _ = state.apply(.snapshot(Fixtures.snapshot([Fixtures.row("ff", name: String(repeating: "漢", count: 40), seeders: 3)])))
        let grid = view.render(state)
        let columns = TorrentTableView.columns(width: 80)
        #expect(TextWidth.columns(String(grid.line(6).prefix { $0 != " " })) <= columns[0].width)
        #expect(grid.line(6).hasSuffix("3      0      0     0.0     5s"), "the numbers stay in their columns")
        let ascii = DashboardView(glyphs: .ascii).render(Fixtures.state())
        #expect(ascii.line(5).contains("SEEDv"))
        #expect(ascii.line(3).unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test("help lists every binding of the keymap")
    func help() {
        var state = Fixtures.state()
        _ = state.apply(.resize(rows: 50, columns: 120))
        _ = state.apply(.showHelp)
        let text = view.render(state).text
        for binding in Keymap.torrents + Keymap.peers + Keymap.moderation + Keymap.anywhere {
            #expect(text.contains(binding.help), "help misses: \(binding.help)")
        }
    }

    @Test("a tiny terminal draws without crashing")
    func tiny() {
        var state = Fixtures.state()
        for (rows, columns) in [(1, 1), (3, 10), (8, 20), (0, 0)] {
            _ = state.apply(.resize(rows: rows, columns: columns))
            let grid = view.render(state)
            #expect(grid.rows == max(0, rows))
        }
    }

    @Test("i shows the selected torrent's details: its file's hashes, size, files, and the swarm's dates")
    func details() {
        var state = Fixtures.state()
        var snapshot = state.snapshot
        let v2 = InfoHash(hex: String(repeating: "7", count: 40))!
        let index = snapshot.torrents.firstIndex { $0.name == "ubuntu-24.04.iso" }!
        snapshot.torrents[index].catalogEntry = CatalogEntry(
            metainfo: TorrentMetainfo(v1: snapshot.torrents[index].infoHash, v2: v2, name: "ubuntu-24.04.iso", totalLength: 6_114_656_256,
                                      fileCount: 1, pieceLength: 262_144, isPrivate: false),
            path: "/srv/torrents/ubuntu.torrent")
        snapshot.torrents[index].lifecycle.firstSeen = Fixtures.now.adding(seconds: -7200)
        _ = state.apply(.snapshot(snapshot))
        while state.selectedRow?.name != "ubuntu-24.04.iso" { _ = state.apply(.down) }
        _ = state.apply(.showDetails)
        let grid = view.render(state)
        let text = (0..<grid.rows).map { grid.line($0) }
        #expect(text[5].hasPrefix("ubuntu-24.04.iso"))
        #expect(text.contains { $0.hasPrefix(" info-hash v2    " + v2.hex) })
        #expect(text.contains { $0.hasPrefix(" size            5.7G (6114656256 bytes) in 1 file, pieces of 256K") })
        #expect(text.contains { $0.hasPrefix(" torrent file    /srv/torrents/ubuntu.torrent") })
        #expect(text.contains { $0.hasPrefix(" first seen      ") && $0.contains("(2h ago)") })
        #expect(text.contains { $0.hasPrefix(" first completed never") })
        #expect(text[23].hasPrefix("EscBack EnterPeers"))
        _ = state.apply(.open)
        #expect(state.screen == .peers(snapshot.torrents[index].infoHash), "Enter goes on to the peers")
    }
}
