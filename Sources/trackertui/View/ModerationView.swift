import TrackerEngine

/// The access view: blacklist and bans (each liftable with `u`), then the whitelist; the mode
/// is on the status line.
struct ModerationView {
    func draw(_ state: DashboardState, on grid: inout CellGrid, from top: Int) {
        let columns = [TableColumn(title: "KIND", width: 10, alignRight: false),
                       TableColumn(title: "TARGET", width: max(20, grid.columns - 24), alignRight: false),
                       TableColumn(title: "LEFT", width: 10, alignRight: true)]
        grid.putTitles(columns, row: top)
        let items = state.moderationItems
        let cursor = state.moderationCursor
        let now = state.snapshot.takenAt
        for (offset, index) in (cursor.top..<min(items.count, cursor.top + state.page)).enumerated() {
            let values: [String]
            switch items[index] {
            case .blacklisted(let hash):
                let name = state.snapshot.row(hash)?.name
                values = ["blacklist", hash.hex + (name.map { " " + $0 } ?? ""), "forever"]
            case let .banned(address, until):
                let left = until == .distantFuture ? "forever" : Format.duration(until.seconds.subtractingReportingOverflow(now.seconds).partialValue + 1)
                values = ["ban", address.description, left]
            case let .deregistered(hash, at):
                let name = state.snapshot.row(hash)?.name
                values = ["deregist.", hash.hex + (name.map { " " + $0 } ?? ""), Format.duration(now.seconds - at.seconds) + " ago"]
            case .whitelisted(let hash):
                let name = state.snapshot.row(hash)?.name
                values = ["whitelist", hash.hex + (name.map { " " + $0 } ?? ""), "file"]
            }
            grid.putRow(values, columns: columns, row: top + 1 + offset, selected: index == cursor.index,
                        roles: [.blacklisted, .normal, .value], ellipsis: "~")
        }
        if items.isEmpty { grid.put("Nothing blacklisted, nobody banned, no whitelist.", row: top + 2, column: 2, role: .dim) }
    }
}
