/// Reading a swarm's lifecycle hash (`<prefix>:{<hex>}:t`): its times, counters and the sizes of
/// its four peer sets (s4 l4 s6 l6, kept by the scripts). Scrapes and listings are one plain
/// HMGET per torrent, no script.
enum RedisLifecycle {
    /// What a scrape asks for: HMGET `scrapeFields` → `counts(fromScrape:)`.
    static let scrapeFields = ["last_activity", "completed", "s4", "l4", "s6", "l6"].map { Array($0.utf8) }

    /// Counts from a scrape's HMGET; nil for a torrent the store does not know (no lifecycle, no peers).
    static func counts(fromScrape reply: RedisReply) -> Result<SwarmCounts?, StoreError> {
        guard let items = reply.array, items.count == scrapeFields.count else {
            return .failure(.failed("unexpected scrape reply: \(reply.errorMessage ?? "\(reply)")"))
        }
        let values = items.map { Int($0.integer ?? 0) }
        let counts = SwarmCounts(seeders: max(0, values[2] + values[4]), leechers: max(0, values[3] + values[5]), completed: values[1])
        return .success(items[0] == .null && counts.seeders + counts.leechers == 0 ? nil : counts)
    }

    /// What a listing asks for: HMGET `listingFields` → `torrentInfo`.
    static let listingFields = ["announces", "first_seen", "last_activity", "first_started", "last_started",
                                "first_completed", "last_completed", "completed", "s4", "l4", "s6", "l6"].map { Array($0.utf8) }

    /// A torrent from its listing HMGET; nil for one with neither lifecycle nor peers (gone since it was listed).
    static func torrentInfo(_ hash: InfoHash, listing reply: RedisReply) -> TorrentInfo? {
        let values = (reply.array ?? []).map(\.integer)
        guard values.count == listingFields.count, values.contains(where: { $0 != nil }) else { return nil }
        func time(_ i: Int) -> TrackerTime? { values[i].map { TrackerTime(seconds: $0) } }
        func count(_ i: Int) -> Int { max(0, Int(values[i] ?? 0)) }
        return TorrentInfo(infoHash: hash,
                           counts: SwarmCounts(seeders: count(8) + count(10), leechers: count(9) + count(11), completed: count(7)),
                           announces: UInt64(max(0, values[0] ?? 0)),
                           firstSeen: time(1) ?? TrackerTime(seconds: 0), lastActivity: time(2) ?? TrackerTime(seconds: 0),
                           firstStarted: time(3), lastStarted: time(4), firstCompleted: time(5), lastCompleted: time(6))
    }
}
