import Foundation

/// The stats pages' query: `limit` (1…1000, default 100), `offset`, `sort` (name, size,
/// seeders, leechers, completed, announces, rate, last_activity; default seeders), `order` (asc,
/// desc), `q` (a name or info-hash prefix filter), `torrent` (one torrent's report) with `peers`
/// (1…10,000: that many of its peers listed), `fresh=1` (a listing read after the request, not
/// one up to a minute old: what the admin commands ask; one read of the store each). Anything
/// else, or a value that does not parse, is the default: a page never fails over its query.
struct StatsQuery: Sendable {
    static let sorts = ["name", "size", "seeders", "leechers", "completed", "announces", "rate", "last_activity"]
    static let maxPeers = 10_000
    var limit = 100
    var offset = 0
    static let defaultSort = "seeders"
    var sort = defaultSort
    var descending = true
    var filter = ""
    var torrent: String?
    /// Peers to list in a torrent's report.
    var peers = 0
    var fresh = false

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
            case "fresh": fresh = value == "1"
            case "peers": if let n = Int(value), (1...Self.maxPeers).contains(n) { peers = n }
            default: break
            }
        }
        descending = order.map { $0 != "asc" } ?? (sort != "name")
    }

    /// The torrents this query shows, in the listing's cached order for its sort, filtered, cut
    /// to its page; only the page's rows are turned into report rows.
    func page(_ listed: Listed, names: [InfoHash: CatalogEntry]) -> StatsReport.TorrentPage {
        let torrents = listed.torrents
        let ascending = listed.order(sort, names: names)
        var picked: [Int32] = []
        var total = 0
        let wanted = offset..<(offset + limit)
        let sequence: AnySequence<Int32> = descending ? AnySequence(ascending.reversed()) : AnySequence(ascending)
        for index in sequence {
            if !filter.isEmpty {
                let info = torrents[Int(index)]
                guard info.infoHash.hex.hasPrefix(filter) || (names[info.infoHash]?.metainfo.name.lowercased().contains(filter) ?? false) else { continue }
            }
            if wanted.contains(total) { picked.append(index) }
            total += 1
            if filter.isEmpty, total >= wanted.upperBound {
                total = torrents.count  // no filter: every torrent counts
                break
            }
        }
        if filter.isEmpty { total = torrents.count }
        let items = picked.map { i in
            let info = torrents[Int(i)]
            return StatsReport.Torrent(info, entry: names[info.infoHash], perMinute: listed.perMinute(info))
        }
        return StatsReport.TorrentPage(total: total, offset: offset, limit: limit, sort: sort, descending: descending, filter: filter, items: items)
    }
}
