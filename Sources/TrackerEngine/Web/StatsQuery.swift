import Foundation

/// The stats pages' query: `limit` (1…1000, default 100), `offset`, `sort` (name, size,
/// seeders, leechers, completed, rate, last_activity; default seeders), `order` (asc, desc),
/// `q` (a name or info-hash prefix filter), `torrent` (one torrent's report). Anything else, or
/// a value that does not parse, is the default: a page never fails over its query.
struct StatsQuery: Sendable {
    static let sorts = ["name", "size", "seeders", "leechers", "completed", "rate", "last_activity"]
    var limit = 100
    var offset = 0
    var sort = "seeders"
    var descending = true
    var filter = ""
    var torrent: String?

    init(_ query: String) {
        var order: String?
        for pair in query.split(separator: "&").prefix(16) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0]), value = parts.count > 1 ? (String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "") : ""
            switch key {
            case "limit": if let n = Int(value), (1...1000).contains(n) { limit = n }
            case "offset": if let n = Int(value), n >= 0 { offset = n }
            case "sort": if Self.sorts.contains(value) { sort = value }
            case "order": order = value
            case "q": filter = String(value.prefix(64)).lowercased()
            case "torrent": torrent = value
            default: break
            }
        }
        descending = order.map { $0 != "asc" } ?? (sort != "name")
    }

    /// The torrents this query shows, sorted, filtered and cut to its page. Sorted on the
    /// listing's own values; only the page's rows are turned into report rows.
    func page(_ torrents: [TorrentInfo], names: [InfoHash: CatalogEntry], perMinute: [InfoHash: Double]) -> StatsReport.TorrentPage {
        let kept = filter.isEmpty ? torrents : torrents.filter { info in
            info.infoHash.hex.hasPrefix(filter) || (names[info.infoHash]?.metainfo.name.lowercased().contains(filter) ?? false)
        }
        func title(_ info: TorrentInfo) -> String { names[info.infoHash]?.metainfo.name ?? info.infoHash.hex }
        let sorted: [TorrentInfo]
        switch sort {
        case "name": sorted = kept.map { (title($0), $0) }.sorted { (($0.0, $0.1.infoHash) < ($1.0, $1.1.infoHash)) != descending }.map(\.1)
        case "size": sorted = ordered(kept) { names[$0.infoHash]?.metainfo.totalLength ?? 0 }
        case "leechers": sorted = ordered(kept) { UInt64($0.counts.leechers) }
        case "completed": sorted = ordered(kept) { UInt64($0.counts.completed) }
        case "rate": sorted = ordered(kept) { (perMinute[$0.infoHash] ?? 0).bitPattern }  // non-negative doubles order as their bits
        case "last_activity": sorted = ordered(kept) { UInt64(max(0, $0.lastActivity.milliseconds)) }
        default: sorted = ordered(kept) { UInt64($0.counts.seeders) }
        }
        let start = min(offset, sorted.count)
        let items = sorted[start..<min(start + limit, sorted.count)].map {
            StatsReport.Torrent($0, entry: names[$0.infoHash], perMinute: perMinute[$0.infoHash] ?? 0)
        }
        return StatsReport.TorrentPage(total: sorted.count, offset: offset, limit: limit, sort: sort, descending: descending, filter: filter, items: items)
    }

    /// By one number, ties in info-hash order (pages do not shuffle between requests).
    private func ordered(_ torrents: [TorrentInfo], by key: (TorrentInfo) -> UInt64) -> [TorrentInfo] {
        let descending = descending
        return torrents.map { (key($0), $0) }.sorted { a, b in
            a.0 != b.0 ? (a.0 < b.0) != descending : a.1.infoHash < b.1.infoHash
        }.map(\.1)
    }
}
