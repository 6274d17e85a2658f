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
    /// The torrents table: the snapshot's rows filtered and sorted.
    private(set) var rows: [TorrentRow] = []
    var torrentCursor = ListCursor()
    /// The selected torrent, kept across refreshes and re-sorts.
    var selected: InfoHash?
    var peers: [PeerDetail] = []
    var peerCursor = ListCursor()
    var moderationCursor = ListCursor()
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

    var moderationItems: [ModerationItem] { ModerationItem.items(snapshot.moderation) }

    var selectedRow: TorrentRow? { rows.indices.contains(torrentCursor.index) ? rows[torrentCursor.index] : nil }

    var selectedPeer: PeerDetail? { peers.indices.contains(peerCursor.index) ? peers[peerCursor.index] : nil }

    /// Recomputes the table after the snapshot, the sort or the filter changed, keeping the
    /// selection on the same torrent when it is still listed.
    mutating func rebuildRows() {
        let needle = filter.lowercased()
        var visible = needle.isEmpty ? snapshot.torrents : snapshot.torrents.filter { row in
            row.infoHash.hex.hasPrefix(needle) || (row.name?.lowercased().contains(needle) ?? false)
        }
        let sort = sort, descending = descending
        visible.sort { sort.ordered($0, $1, descending: descending) }
        rows = visible
        if let selected, let index = rows.firstIndex(where: { $0.infoHash == selected }) {
            torrentCursor.index = index
        }
        torrentCursor.clamp(count: rows.count, page: page)
        selected = selectedRow?.infoHash
    }
}

/// The screen's fixed parts, in rows.
enum Layout {
    static let headerRows = 4
    /// Header, column titles, status line, key bar.
    static let chromeRows = headerRows + 3
}
