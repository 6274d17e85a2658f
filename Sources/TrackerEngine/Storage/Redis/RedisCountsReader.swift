/// Reading a swarm's counts and lifecycle with plain commands, no script: for scrapes (hot) and
/// listings (the dashboard). Each writes one HMGET of the lifecycle hash and an HLEN of each of
/// the four peer hashes, so a swarm costs five replies, read back in the same order. HLEN counts
/// a peer past its deadline until its swarm is next pruned, like announce counts.
enum RedisCountsReader {
    /// Replies per swarm, for both scrapes and listings.
    static let repliesPerSwarm = 5

    private static let scrapeFields: [StaticString] = ["last_activity", "completed"]

    static func writeScrape(swarm base: [UInt8], into writer: inout RESPWriter) {
        write(scrapeFields, swarm: base, into: &writer)
    }

    /// Counts from a scrape's five replies; nil for a torrent the store does not know (no lifecycle, no peers).
    static func counts(fromScrape replies: ArraySlice<RedisReply>) -> Result<SwarmCounts?, StoreError> {
        guard replies.count == repliesPerSwarm, let fields = replies.first?.array, fields.count == scrapeFields.count else {
            return .failure(.failed("unexpected scrape reply: \(replies.first?.errorMessage ?? "\(replies)")"))
        }
        let sizes = replies.dropFirst().map { Int($0.integer ?? 0) }
        let counts = SwarmCounts(seeders: sizes[0] + sizes[2], leechers: sizes[1] + sizes[3], completed: Int(max(0, fields[1].integer ?? 0)))
        return .success(fields[0] == .null && counts.seeders + counts.leechers == 0 ? nil : counts)
    }

    private static let listingFields: [StaticString] = ["announces", "first_seen", "last_activity", "first_started", "last_started",
                                                        "first_completed", "last_completed", "completed"]

    static func writeListing(swarm base: [UInt8], into writer: inout RESPWriter) {
        write(listingFields, swarm: base, into: &writer)
    }

    /// A torrent from its listing's five replies; nil for one with neither lifecycle nor peers (gone since it was listed).
    static func torrentInfo(_ hash: InfoHash, listing replies: ArraySlice<RedisReply>) -> TorrentInfo? {
        guard replies.count == repliesPerSwarm else { return nil }
        let values = (replies.first?.array ?? []).map(\.integer)
        let sizes = replies.dropFirst().map { Int($0.integer ?? 0) }
        guard values.count == listingFields.count, values.contains(where: { $0 != nil }) || sizes.contains(where: { $0 > 0 }) else { return nil }
        func time(_ i: Int) -> TrackerTime? { values[i].map { TrackerTime(seconds: $0) } }
        return TorrentInfo(infoHash: hash,
                           counts: SwarmCounts(seeders: sizes[0] + sizes[2], leechers: sizes[1] + sizes[3], completed: Int(max(0, values[7] ?? 0))),
                           announces: UInt64(max(0, values[0] ?? 0)),
                           firstSeen: time(1) ?? TrackerTime(seconds: 0), lastActivity: time(2) ?? TrackerTime(seconds: 0),
                           firstStarted: time(3), lastStarted: time(4), firstCompleted: time(5), lastCompleted: time(6))
    }

    private static func write(_ fields: [StaticString], swarm base: [UInt8], into writer: inout RESPWriter) {
        writer.command(2 + fields.count)
        writer.bulk("HMGET")
        writer.bulk(base, RedisKeys.lifecycleSuffix)
        for field in fields { writer.bulk(field) }
        for family in RedisKeys.FamilySets.both {
            for set in [family.seeders, family.leechers] {
                writer.command(2)
                writer.bulk("HLEN")
                writer.bulk(base, set)
            }
        }
    }
}
