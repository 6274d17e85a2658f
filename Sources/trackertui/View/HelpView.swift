/// Every key, straight from the keymap's tables.
struct HelpView {
    func draw(_ state: DashboardState, on grid: inout CellGrid, from top: Int) {
        grid.put(" KEYS (any key to go back)", row: top, column: 0, role: .columnHeader)
        grid.paint(row: top, role: .columnHeader)
        var lines: [(String, String)] = []
        for (title, bindings) in [("Torrents", Keymap.torrents), ("Peers", Keymap.peers), ("Details", Keymap.details), ("Access", Keymap.moderation),
                                  ("Everywhere", Keymap.anywhere)] {
            lines.append((title, ""))
            for binding in bindings { lines.append(("  " + binding.keys.map(Self.name).joined(separator: " "), binding.help)) }
        }
        lines.append(("Filter", ""))
        lines.append(("  type, Backspace", "edit; Enter keeps it, Esc clears it"))
        let half = (lines.count + 1) / 2
        let twoColumns = grid.columns >= 120 || lines.count > grid.rows - Layout.chromeRows
        let columnWidth = twoColumns ? grid.columns / 2 : grid.columns
        for (i, line) in lines.enumerated() {
            let (column, row) = twoColumns && i >= half ? (columnWidth, i - half) : (0, i)
            guard top + 1 + row < grid.rows - 2 else { continue }
            let x = grid.put(line.0, row: top + 1 + row, column: column, role: line.1.isEmpty ? .title : .keyName, limit: 16)
            grid.put(String(repeating: " ", count: max(1, 17 - x)) + line.1, row: top + 1 + row, column: column + x, limit: columnWidth - x - 1)
        }
    }

    static func name(_ key: Key) -> String {
        switch key {
        case .character(let c): return String(c)
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Bksp"
        case .delete: return "Del"
        case .tab: return "Tab"
        case .function(let n): return "F\(n)"
        case .resize: return "resize"
        }
    }
}
