/// Every torrent with its counts and lifecycle, read from the store at most every `maxAge`
/// however many clients poll the pages, with what the pages derive from it kept beside it: the
/// totals, each sort order asked for (computed once per listing), and the announce counts of a
/// listing up to a minute older for announces per minute.
final class TorrentListing: Sendable {
    /// How old a listing may be before a page reads the store again: a page polled every second
    /// over 100k torrents would otherwise list them every second (about 80 ms of CPU each). The
    /// HTML page reloads every 10 s: a listing as old is what it shows anyway.
    static let maxAgeMillis: Int64 = 10_000
    /// Older than this, a listing is not shown while a fresh one is read: the page waits.
    static let staleMillis: Int64 = 60_000

    private let store: any SwarmStore
    private let names: @Sendable () -> [InfoHash: CatalogEntry]
    private let latest = Locked<(listed: Listed?, refreshing: Bool)>((nil, false))
    /// The sort orders pages asked for (at most the few `StatsQuery.sorts`): a refresh sorts
    /// them in the background, so no page pays for a sort after the first.
    private let asked = Locked<Set<String>>([StatsQuery.defaultSort])

    init(store: any SwarmStore, names: @escaping @Sendable () -> [InfoHash: CatalogEntry]) {
        self.store = store
        self.names = names
    }

    /// Notes that a page asked for `sort` (one of `StatsQuery.sorts`).
    func noteAsked(_ sort: String) {
        asked.update { _ = $0.insert(sort) }
    }

    /// The latest listing. Past `maxAgeMillis` it is still answered at once while a fresh one is
    /// read in the background (one at a time); past `staleMillis` the page waits for a fresh one.
    /// The engine keeps it fresh every 30 s (`TrackerWeb.sampleRequests`), so pages never wait.
    /// `fresh` (the admin commands ask so) waits for a read begun after the call: it shows every
    /// announce answered before, at the cost of one read of the store per call.
    func current(now: TrackerTime, fresh: Bool = false) async -> Listed {
        if fresh { return await refresh(now: now) }
        let (cached, startRefresh) = latest.update { state -> (Listed?, Bool) in
            guard let listed = state.listed, now.milliseconds - listed.readAt.milliseconds < Self.staleMillis else { return (nil, false) }
            let stale = now.milliseconds - listed.readAt.milliseconds >= Self.maxAgeMillis
            if stale, !state.refreshing {
                state.refreshing = true
                return (listed, true)
            }
            return (listed, false)
        }
        if let cached {
            if startRefresh { Task { await self.refresh(now: now) } }
            return cached
        }
        return await refresh(now: now)
    }

    @discardableResult
    private func refresh(now: TrackerTime) async -> Listed {
        let previous = latest.value.listed
        let listed: Listed
        if let torrents = try? await store.torrents(now: now) {
            listed = Listed(torrents: torrents, readAt: now, previous: previous)
            let names = names()
            for sort in asked.value { _ = listed.order(sort, names: names) }
        } else {
            listed = previous ?? Listed(torrents: [], readAt: now, previous: nil)
        }
        latest.update { $0 = (listed, false) }
        return listed
    }
}

/// One listing, immutable but for the sort orders it caches.
final class Listed: Sendable {
    let torrents: [TorrentInfo]
    let readAt: TrackerTime
    let seeders: Int, leechers: Int, completed: Int
    /// Announce counts of an earlier listing (the oldest under a minute before this one).
    private let baseline: [InfoHash: UInt64]
    private let baselineAt: TrackerTime
    /// Positions in `torrents`, ascending, per sort key.
    private let orders = Locked<[String: [Int32]]>([:])

    init(torrents: [TorrentInfo], readAt: TrackerTime, previous: Listed?) {
        self.torrents = torrents
        self.readAt = readAt
        var sums = (0, 0, 0)
        for info in torrents {
            sums.0 += info.counts.seeders
            sums.1 += info.counts.leechers
            sums.2 += info.counts.completed
        }
        (seeders, leechers, completed) = sums
        if let previous, readAt.milliseconds - previous.baselineAt.milliseconds < 60_000, !previous.baseline.isEmpty {
            (baseline, baselineAt) = (previous.baseline, previous.baselineAt)
        } else if let previous {
            baseline = Dictionary(previous.torrents.map { ($0.infoHash, $0.announces) }, uniquingKeysWith: { a, _ in a })
            baselineAt = previous.readAt
        } else {
            (baseline, baselineAt) = ([:], readAt)
        }
    }

    /// Announces per minute since the baseline; 0 without one.
    func perMinute(_ info: TorrentInfo) -> Double {
        let minutes = Double(readAt.milliseconds - baselineAt.milliseconds) / 60_000
        guard minutes > 0, let before = baseline[info.infoHash] else { return 0 }
        return Double(info.announces >= before ? info.announces - before : 0) / minutes
    }

    /// Positions of the torrents in ascending order of `sort` (ties by info-hash), computed the
    /// first time a page asks for that order.
    func order(_ sort: String, names: [InfoHash: CatalogEntry]) -> [Int32] {
        if let known = orders.update({ $0[sort] }) { return known }
        let order: [Int32]
        if sort == "name" {
            let titles = torrents.map { names[$0.infoHash]?.metainfo.name ?? $0.infoHash.hex }
            order = torrents.indices.map(Int32.init).sorted { (titles[Int($0)], torrents[Int($0)].infoHash) < (titles[Int($1)], torrents[Int($1)].infoHash) }
        } else {
            let key: (TorrentInfo) -> UInt64
            switch sort {
            case "size": key = { names[$0.infoHash]?.metainfo.totalLength ?? 0 }
            case "leechers": key = { UInt64($0.counts.leechers) }
            case "completed": key = { UInt64($0.counts.completed) }
            case "announces": key = { $0.announces }
            case "rate": key = { self.perMinute($0).bitPattern }  // non-negative doubles order as their bits
            case "last_activity": key = { UInt64(max(0, $0.lastActivity.milliseconds)) }
            default: key = { UInt64($0.counts.seeders) }
            }
            // Compact keys, not the torrents themselves: 100k of them sort in a few milliseconds.
            var keys = torrents.enumerated().map { (key: key($1), tie: $1.infoHash, index: Int32($0)) }
            keys.sort { $0.key != $1.key ? $0.key < $1.key : $0.tie < $1.tie }
            order = keys.map(\.index)
        }
        orders.update { $0[sort] = order }
        return order
    }
}
