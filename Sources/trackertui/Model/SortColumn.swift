/// The torrents table's columns, in display order; each can sort the table.
enum SortColumn: Int, CaseIterable, Sendable {
    case name, size, seeders, leechers, completed, rate, lastActivity

    var title: String {
        switch self {
        case .name: return "NAME / INFO-HASH"
        case .size: return "SIZE"
        case .seeders: return "SEED"
        case .leechers: return "LEECH"
        case .completed: return "DONE"
        case .rate: return "ANN/MIN"
        case .lastActivity: return "LAST"
        }
    }

    /// Text columns read best A→Z; numbers and times biggest/newest first.
    var defaultDescending: Bool { self != .name }

    func ordered(_ a: TorrentRow, _ b: TorrentRow, descending: Bool) -> Bool {
        let order: Bool?
        switch self {
        case .name: order = a.title == b.title ? nil : a.title < b.title
        case .size: order = a.size == b.size ? nil : (a.size ?? 0) < (b.size ?? 0)
        case .seeders: order = a.seeders == b.seeders ? nil : a.seeders < b.seeders
        case .leechers: order = a.leechers == b.leechers ? nil : a.leechers < b.leechers
        case .completed: order = a.completed == b.completed ? nil : a.completed < b.completed
        case .rate: order = a.announcesPerMinute == b.announcesPerMinute ? nil : a.announcesPerMinute < b.announcesPerMinute
        case .lastActivity: order = a.lastActivity == b.lastActivity ? nil : a.lastActivity < b.lastActivity
        }
        // Ties keep a stable order by info-hash, so rows do not jump between refreshes.
        guard let order else { return a.infoHash < b.infoHash }
        return descending ? !order : order
    }
}
