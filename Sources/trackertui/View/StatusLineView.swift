/// The line above the key bar: a question waiting for y/n, the filter being typed, the result
/// of the last action, or where the table stands.
struct StatusLineView {
    var glyphs: Glyphs

    func draw(_ state: DashboardState, on grid: inout CellGrid, row: Int) {
        if let question = state.confirmation?.question {
            grid.put(question, row: row, column: 0, role: .warning)
            grid.paint(row: row, role: .warning)
            return
        }
        if state.editingFilter {
            let x = grid.put("Filter: ", row: row, column: 0, role: .label)
            grid.put(state.filter + "_", row: row, column: x, role: .value)
            return
        }
        if let message = state.message {
            grid.put(message, row: row, column: 0, role: message.hasPrefix("Failed") ? .bad : .value)
            return
        }
        let text: String
        switch state.screen {
        case .torrents:
            let filter = state.filter.isEmpty ? "" : "  filter \"\(state.filter)\""
            text = "\(state.rows.count) of \(state.snapshot.torrents.count) torrents\(filter)"
        case .peers(let hash):
            let name = state.snapshot.row(hash)?.name.map { " " + $0 } ?? ""
            let listed = state.snapshot.moderation.blacklist.contains(hash) ? "  BLACKLISTED" : ""
            text = "Peers of \(hash.hex)\(name): \(state.peers.count)\(listed)"
        case .details(let hash):
            text = "Details of \(hash.hex)"
        case .moderation:
            let access = state.snapshot.access
            var mode = access.mode.map { "Mode \($0)" } ?? "Mode unknown"
            if let registered = access.registered { mode += " (\(Format.count(registered)) torrents registered)" }
            text = "\(mode)  \(state.snapshot.moderation.blacklist.count) blacklisted, \(state.snapshot.moderation.bans.count) banned, "
                + "\(state.snapshot.moderation.deregistered.count) deregistered, \(access.whitelist.count) whitelisted"
        case .archive: text = "\(state.archive.count) deregistered torrents, the latest first"
        case .log: text = "\(state.log.count) lines"
        case .help: text = ""
        }
        grid.put(text, row: row, column: 0, role: .dim)
    }
}
