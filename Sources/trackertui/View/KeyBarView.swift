/// htop's bottom bar: the main keys of the current screen, key name then label.
struct KeyBarView {
    func draw(_ state: DashboardState, on grid: inout CellGrid, row: Int) {
        let keys: [(String, String)]
        switch state.screen {
        case .torrents:
            keys = [("F1", "Help"), ("/", "Filter"), ("s", "Sort"), ("Enter", "Peers"), ("i", "Info"), ("b", "Blacklist"), ("B", "Access"),
                    ("l", "Log"), ("q", "Quit")]
        case .details:
            keys = [("Esc", "Back"), ("Enter", "Peers"), ("b", "Blacklist"), ("d", "Deregister"), ("F1", "Help"), ("q", "Quit")]
        case .peers:
            keys = [("Esc", "Back"), ("k", "Kick"), ("K", "Ban " + Format.duration(state.banSeconds)), ("b", "Blacklist"), ("F1", "Help"), ("q", "Quit")]
        case .moderation:
            keys = [("Esc", "Back"), ("u", "Lift"), ("F1", "Help"), ("q", "Quit")]
        case .archive, .log, .help:
            keys = [("Esc", "Back"), ("F1", "Help"), ("q", "Quit")]
        }
        var x = 0
        for (key, label) in keys {
            x += grid.put(key, row: row, column: x, role: .keyName)
            x += grid.put(label + " ", row: row, column: x, role: .keyLabel)
        }
        grid.paint(row: row, from: x, role: .keyLabel)
    }
}
