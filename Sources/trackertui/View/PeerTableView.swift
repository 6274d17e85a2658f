import TrackerEngine

/// One torrent's peers: address, role, client, transfer totals and when it last announced.
struct PeerTableView {
    static func columns(width: Int) -> [TableColumn] {
        let fixed: [TableColumn] = [
            TableColumn(title: "RACK", width: 8, alignRight: false),
            TableColumn(title: "ROLE", width: 5, alignRight: false),
            TableColumn(title: "CLIENT", width: 18, alignRight: false),
            TableColumn(title: "UP", width: 6, alignRight: true),
            TableColumn(title: "DOWN", width: 6, alignRight: true),
            TableColumn(title: "LEFT", width: 6, alignRight: true),
            TableColumn(title: "SEEN", width: 5, alignRight: true),
        ]
        let addressWidth = max(12, width - fixed.reduce(0) { $0 + $1.width + 1 })
        return [TableColumn(title: "ADDRESS", width: addressWidth, alignRight: false)] + fixed
    }

    func draw(_ state: DashboardState, on grid: inout CellGrid, from top: Int) {
        let columns = Self.columns(width: grid.columns)
        grid.putTitles(columns, row: top)
        let cursor = state.peerCursor
        let now = state.snapshot.takenAt
        for (offset, index) in (cursor.top..<min(state.peers.count, cursor.top + state.page)).enumerated() {
            let peer = state.peers[index]
            let values = [peer.endpoint.description, peer.rack ?? "-", peer.isSeeder ? "seed" : "leech", PeerClient.name(peer.peerID),
                          Format.bytes(peer.uploaded), Format.bytes(peer.downloaded), peer.left.map(Format.bytes) ?? "?",
                          Format.duration(now.seconds - peer.lastSeen.seconds)]
            grid.putRow(values, columns: columns, row: top + 1 + offset, selected: index == cursor.index,
                        roles: [.normal, .dim, peer.isSeeder ? .good : .warning, .value, .value, .value, .value, .dim], ellipsis: "~")
        }
        if state.peers.isEmpty { grid.put("No peers in this swarm right now.", row: top + 2, column: 2, role: .dim) }
    }
}
