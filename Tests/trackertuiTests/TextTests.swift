import Testing
import TrackerEngine
@testable import trackertui

@Suite("Dashboard text")
struct TextTests {
    @Test("peer_id → client: Azureus, Shadow and Mainline styles, and unknown ones shown printable")
    func clients() {
        func name(_ id: String) -> String { PeerClient.name(bytes: Array(id.utf8)) }
        #expect(name("-qB4520-abcdefghijkl") == "qBittorrent 4.5.2")
        #expect(name("-TR3000-abcdefghijkl") == "Transmission 3.00")
        #expect(name("-TR2940-abcdefghijkl") == "Transmission 2.94")
        #expect(name("-TR4030-abcdefghijkl") == "Transmission 4.0.3")
        #expect(name("-LT2090-abcdefghijkl") == "libtorrent 2.0.9")
        #expect(name("-DE13F0-abcdefghijkl") == "Deluge 1.3.15")
        #expect(name("-UT355S-abcdefghijkl") == "µTorrent 3.5.5")
        #expect(name("S58B-----abcdefghijk") == "Shadow 5.8.11")
        #expect(name("M4-3-6--abcdefghijkl") == "BitTorrent 4.3.6")
        #expect(PeerClient.name(bytes: [0, 1, 2, 0x41, 0x42, 0xFF, 0x43, 0x44] + Array(repeating: 0, count: 12)) == "...AB.CD")
    }

    @Test("text is measured in terminal columns, not characters")
    func widths() {
        #expect(TextWidth.columns("debian") == 6)
        #expect(TextWidth.columns("漢字") == 4)
        #expect(TextWidth.columns("e\u{301}") == 1, "a combining accent takes no column")
        #expect(TextWidth.columns("🇫🇷") == 2)
        #expect(TextWidth.columns("a\u{7}b") == 2, "controls take none")
    }

    @Test("numbers and durations fit narrow columns")
    func formats() {
        #expect(Format.count(999) == "999")
        #expect(Format.count(1234) == "1.2k")
        #expect(Format.count(123_456) == "123k")
        #expect(Format.count(12_345_678) == "12M")
        #expect(Format.duration(59) == "59s")
        #expect(Format.duration(3725) == "1h02m")
        #expect(Format.duration(7200) == "2h")
        #expect(Format.utc(TrackerTime(seconds: 1_764_615_600)) == "2025-12-01 19:00 UTC")
        #expect(Format.duration(90_000) == "1d01h")
        #expect(Format.bytes(512) == "512B")
        #expect(Format.bytes(1536) == "1.5K")
        #expect(Format.bytes(3 << 30) == "3.0G")
        #expect(Format.rate(2.25) == "2.3")
    }

    @Test("the grid clips at its edge and never writes outside")
    func clipping() {
        var grid = CellGrid(rows: 2, columns: 5)
        #expect(grid.put("abcdefgh", row: 0, column: 2) == 3)
        #expect(grid.line(0) == "  abc")
        #expect(grid.put("漢漢漢", row: 1, column: 0) == 5, "the third wide character would straddle the edge")
        #expect(grid.line(1) == "漢漢 ")
        #expect(grid.put("x", row: 5, column: 0) == 0)
    }
}

/// What the screen writes to the terminal on each refresh.
@Suite("Dashboard redraw")
struct RedrawTests {
    @Test("only the cells that changed are written, as runs of one role; a new size writes everything")
    func changesOnly() {
        var before = CellGrid(rows: 2, columns: 10)
        before.put("seeders 12", row: 0, column: 0)
        before.put("ok", row: 1, column: 0, role: .good)
        var after = before
        after.put("13", row: 0, column: 8)
        after.put("ok", row: 1, column: 0, role: .bad)
        #expect(after.changes(since: before) == [
            CellGrid.Run(row: 0, column: 9, text: "3", role: .normal),
            CellGrid.Run(row: 1, column: 0, text: "ok", role: .bad),
        ])
        #expect(after.changes(since: after).isEmpty, "nothing changed, nothing written")
        #expect(after.changes(since: nil).map(\.text).joined() == after.text.replacingOccurrences(of: "\n", with: ""))
        #expect(after.changes(since: CellGrid(rows: 3, columns: 10)).count == after.changes(since: nil).count)
    }

    @Test("a changed wide character is written whole")
    func wideCharacters() {
        var before = CellGrid(rows: 1, columns: 4)
        before.put("ab", row: 0, column: 0)
        var after = before
        after.put("漢", row: 0, column: 0)
        #expect(after.changes(since: before) == [CellGrid.Run(row: 0, column: 0, text: "漢", role: .normal)])
    }
}
