import TrackerEngine

/// The archive view: deregistered torrents, the latest first, with what their swarms had done.
struct ArchiveView {
    func draw(_ state: DashboardState, on grid: inout CellGrid, from top: Int) {
        let columns = [TableColumn(title: "DEREGISTERED", width: 20, alignRight: false),
                       TableColumn(title: "DONE", width: 7, alignRight: true),
                       TableColumn(title: "REGISTERED", width: 20, alignRight: false),
                       TableColumn(title: "TORRENT", width: max(20, grid.columns - 51), alignRight: false)]
        grid.putTitles(columns, row: top)
        let records = state.archive, cursor = state.archiveCursor
        for (offset, index) in (cursor.top..<min(records.count, cursor.top + state.page)).enumerated() {
            let record = records[index]
            let values = [Format.utc(record.deregistered), record.lifecycle.map { String($0.counts.completed) } ?? "-",
                          record.firstRegistered.map(Format.utc) ?? "-", record.name.map { "\($0)  \(record.infoHash.hex)" } ?? record.infoHash.hex]
            grid.putRow(values, columns: columns, row: top + 1 + offset, selected: index == cursor.index,
                        roles: [.value, .value, .dim, .normal], ellipsis: "~")
        }
        if records.isEmpty { grid.put("No torrent deregistered (d on a torrent).", row: top + 2, column: 2, role: .dim) }
    }
}
