import TrackerEngine

/// The dashboard's whole state. Changed only by `apply(_:)` (the reducer, in
/// DashboardState+Reducer.swift), read by the views: no curses, no I/O, no clock.
struct DashboardState: Equatable, Sendable {
    var snapshot = DashboardSnapshot.empty
    var screen = Screen.torrents
    /// Where Esc goes from the log, moderation and help screens.
    var returnTo = Screen.torrents
    var sort = SortColumn.seeders
    var descending = true
    var filter = ""
    var editingFilter = false
    /// The torrents table: positions in the snapshot's rows, filtered and sorted.
    private(set) var order: [Int32] = []
    /// The snapshot generation `order` was computed for.
    private var orderGeneration = -1
    /// The filter `order` was computed with (it holds matching rows only).
    private var orderFilter = ""
    var torrentCursor = ListCursor()
    /// The selected torrent, kept across refreshes and re-sorts.
    var selected: InfoHash?
    var peers: [PeerDetail] = []
    var peerCursor = ListCursor()
    var moderationCursor = ListCursor()
    var archive: [ArchivedTorrent] = []
    var archiveCursor = ListCursor()
    var log: [String] = []
    var logCursor = ListCursor()
    var terminalRows = 24
    var terminalColumns = 80
    var confirmation: PendingConfirmation?
    var message: String?
    /// Whether quitting stops an engine (engine mode) or only detaches (attach mode).
    var quitStopsEngine: Bool
    var banSeconds: Int64 = 3600
    var finished = false

    init(quitStopsEngine: Bool) {
        self.quitStopsEngine = quitStopsEngine
    }

    /// Rows of a table that fit the terminal: all but the header meters, the column titles,
    /// the status line and the key bar.
    var page: Int { max(1, terminalRows - Layout.chromeRows) }

    var moderationItems: [ModerationItem] { ModerationItem.items(snapshot.moderation, whitelist: snapshot.access.whitelist) }

    /// The torrents table's rows, in table order (no copies of the rows themselves).
    var rows: LazyMapCollection<[Int32], TorrentRow> {
        let torrents = snapshot.torrents
        return order.lazy.map { torrents[Int($0)] }
    }

    var selectedRow: TorrentRow? { order.indices.contains(torrentCursor.index) ? snapshot.torrents[Int(order[torrentCursor.index])] : nil }

    var selectedPeer: PeerDetail? { peers.indices.contains(peerCursor.index) ? peers[peerCursor.index] : nil }

    /// Recomputes the table after the snapshot, the sort or the filter changed, keeping the
    /// selection on the same torrent when it is still listed. Sorts compact keys rather than
    /// rows: 100k torrents re-sort in a few milliseconds.
    mutating func rebuildRows() {
        let torrents = snapshot.torrents
        let needle = filter.lowercased()
        var picked: [Int32] = []
        picked.reserveCapacity(torrents.count)
        // Rows in their last order first (a stable sort finds the runs and merges little), new rows after.
        var start = 0
        if orderGeneration == snapshot.rowGeneration, orderFilter == needle, !order.isEmpty {
            for i in order where Int(i) < torrents.count && (needle.isEmpty || Self.matches(torrents[Int(i)], needle)) { picked.append(i) }
            start = Int(order.max()!) + 1
        }
        if start < torrents.count {
            for i in start..<torrents.count where needle.isEmpty || Self.matches(torrents[i], needle) { picked.append(Int32(i)) }
        }
        orderGeneration = snapshot.rowGeneration
        orderFilter = needle
        order = sort == .name ? sortedByTitle(picked) : sortedByNumber(picked)
        if let selected, let index = order.firstIndex(where: { torrents[Int($0)].infoHash == selected }) {
            torrentCursor.index = index
        }
        torrentCursor.clamp(count: order.count, page: page)
        selected = selectedRow?.infoHash
    }

    private static func matches(_ row: TorrentRow, _ needle: String) -> Bool {
        row.infoHash.hex.hasPrefix(needle) || (row.name?.lowercased().contains(needle) ?? false)
    }

    private func sortedByTitle(_ picked: [Int32]) -> [Int32] {
        let torrents = snapshot.torrents, descending = descending
        return picked.sorted { SortColumn.name.ordered(torrents[Int($0)], torrents[Int($1)], descending: descending) }
    }

    private func sortedByNumber(_ picked: [Int32]) -> [Int32] {
        struct Key {
            var primary: UInt64
            var tie: UInt64
            var index: Int32
        }
        let torrents = snapshot.torrents, sort = sort, descending = descending
        var keys = picked.map { i -> Key in
            let row = torrents[Int(i)]
            let value: UInt64
            switch sort {
            case .size: value = row.size ?? 0
            case .seeders: value = UInt64(row.seeders)
            case .leechers: value = UInt64(row.leechers)
            case .completed: value = UInt64(row.completed)
            case .rate: value = max(0, row.announcesPerMinute).bitPattern  // non-negative doubles order as their bits
            case .lastActivity, .name: value = UInt64(max(0, row.lastActivity.milliseconds))
            }
            // Ties keep an order by info-hash, so rows do not jump between refreshes.
            return Key(primary: descending ? ~value : value, tie: row.infoHash.raw.a.bigEndian, index: i)
        }
        keys.sort { $0.primary != $1.primary ? $0.primary < $1.primary : $0.tie < $1.tie }
        return keys.map(\.index)
    }
}

/// The screen's fixed parts, in rows.
enum Layout {
    static let headerRows = 5
    /// Header, column titles, status line, key bar.
    static let chromeRows = headerRows + 3
}
