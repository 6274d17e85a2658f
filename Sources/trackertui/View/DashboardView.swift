/// Draws the whole screen for a state: header meters, the current screen's table, the status
/// line and the key bar. Pure: the same state gives the same grid.
struct DashboardView {
    var glyphs: Glyphs

    func render(_ state: DashboardState) -> CellGrid {
        var grid = CellGrid(rows: state.terminalRows, columns: state.terminalColumns)
        HeaderView(glyphs: glyphs).draw(state, on: &grid)
        let body = Layout.headerRows
        switch state.screen {
        case .torrents: TorrentTableView(glyphs: glyphs).draw(state, on: &grid, from: body)
        case .peers: PeerTableView().draw(state, on: &grid, from: body)
        case .details(let hash): TorrentDetailsView().draw(state, torrent: hash, on: &grid, from: body)
        case .moderation: ModerationView().draw(state, on: &grid, from: body)
        case .archive: ArchiveView().draw(state, on: &grid, from: body)
        case .log: LogView().draw(state, on: &grid, from: body)
        case .help: HelpView().draw(state, on: &grid, from: body)
        }
        StatusLineView(glyphs: glyphs).draw(state, on: &grid, row: grid.rows - 2)
        KeyBarView().draw(state, on: &grid, row: grid.rows - 1)
        return grid
    }
}

/// Fixed-width table columns: each is a title, a width and an alignment.
struct TableColumn {
    var title: String
    var width: Int
    var alignRight: Bool

    /// `text` padded or clipped to the column (clipped text ends with `ellipsis`).
    func fit(_ text: String, ellipsis: String = "~") -> String {
        let width = TextWidth.columns(text)
        if width > self.width {
            var out = "", used = 0
            for c in text {
                let w = TextWidth.columns(c)
                if used + w > self.width - 1 { break }
                out.append(c)
                used += w
            }
            return out + ellipsis + String(repeating: " ", count: max(0, self.width - 1 - used))
        }
        let pad = String(repeating: " ", count: self.width - width)
        return alignRight ? pad + text : text + pad
    }
}

extension CellGrid {
    /// Writes the column titles as one bar.
    mutating func putTitles(_ columns: [TableColumn], row: Int) {
        var x = 0
        for column in columns {
            put(column.fit(column.title), row: row, column: x, role: .columnHeader)
            x += column.width + 1
        }
        paint(row: row, role: .columnHeader)
    }

    /// Writes one table row; `roles` gives each cell's role unless the row is selected.
    mutating func putRow(_ values: [String], columns: [TableColumn], row: Int, selected: Bool, roles: [ColorRole], ellipsis: String) {
        var x = 0
        for (i, column) in columns.enumerated() {
            put(column.fit(values[i], ellipsis: ellipsis), row: row, column: x, role: selected ? .selected : roles[i])
            x += column.width + 1
        }
        if selected { paint(row: row, role: .selected) }
    }
}
