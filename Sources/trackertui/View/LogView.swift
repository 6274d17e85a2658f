/// Recent log lines, newest last; follows the end unless scrolled up.
struct LogView {
    func draw(_ state: DashboardState, on grid: inout CellGrid, from top: Int) {
        grid.put(" LOG", row: top, column: 0, role: .columnHeader)
        grid.paint(row: top, role: .columnHeader)
        let cursor = state.logCursor
        for (offset, index) in (cursor.top..<min(state.log.count, cursor.top + state.page)).enumerated() {
            let line = state.log[index]
            let role: ColorRole = line.contains(" error ") || line.contains(" critical ") ? .bad
                : line.contains(" warning ") ? .warning : line.contains(" notice ") ? .value : .normal
            grid.put(line, row: top + 1 + offset, column: 0, role: index == cursor.index ? .selected : role)
        }
        if state.log.isEmpty { grid.put("Nothing logged yet.", row: top + 2, column: 2, role: .dim) }
    }
}
