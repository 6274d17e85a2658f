import TrackerEngine

/// The torrents table: only the visible rows are drawn.
struct TorrentTableView {
    var glyphs: Glyphs

    static func columns(width: Int) -> [TableColumn] {
        let fixed: [TableColumn] = [
            TableColumn(title: SortColumn.size.title, width: 6, alignRight: true),
            TableColumn(title: SortColumn.seeders.title, width: 6, alignRight: true),
            TableColumn(title: SortColumn.leechers.title, width: 6, alignRight: true),
            TableColumn(title: SortColumn.completed.title, width: 6, alignRight: true),
            TableColumn(title: SortColumn.rate.title, width: 7, alignRight: true),
            TableColumn(title: SortColumn.lastActivity.title, width: 6, alignRight: true),
        ]
        let nameWidth = max(8, width - fixed.reduce(0) { $0 + $1.width + 1 })
        return [TableColumn(title: SortColumn.name.title, width: nameWidth, alignRight: false)] + fixed
    }

    func draw(_ state: DashboardState, on grid: inout CellGrid, from top: Int) {
        var columns = Self.columns(width: grid.columns)
        let arrow = state.descending ? glyphs.descending : glyphs.ascending
        columns[state.sort.rawValue].title += arrow
        grid.putTitles(columns, row: top)
        let cursor = state.torrentCursor
        let now = state.snapshot.takenAt
        for (offset, index) in (cursor.top..<min(state.rows.count, cursor.top + state.page)).enumerated() {
            let row = state.rows[index]
            let mark = row.blacklisted ? glyphs.blacklisted + " " : ""
            let values = [mark + Self.title(row), Self.size(row), Format.count(row.seeders), Format.count(row.leechers), Format.count(row.completed),
                          Format.rate(row.announcesPerMinute),
                          row.lastActivity.seconds == 0 ? "-" : Format.duration(now.seconds - row.lastActivity.seconds)]
            let nameRole: ColorRole = row.blacklisted ? .blacklisted : .normal
            grid.putRow(values, columns: columns, row: top + 1 + offset, selected: index == cursor.index,
                        roles: [nameRole, .dim, .good, .warning, .value, .value, .dim], ellipsis: glyphs.ellipsis)
        }
        if state.rows.isEmpty {
            let text = state.snapshot.torrents.isEmpty ? "No torrents yet: waiting for announces." : "No torrent matches the filter."
            grid.put(text, row: top + 2, column: 2, role: .dim)
        }
    }

    // Out of line: Swift 6.3.1's optimizer crashed (CopyPropagation, "outside of lifetime use")
    // on the row's optional catalog entry read inline in the loop above, in release builds.
    @inline(never)
    private static func title(_ row: TorrentRow) -> String { row.title }

    @inline(never)
    private static func size(_ row: TorrentRow) -> String { row.size.map(Format.bytes) ?? "-" }
}
