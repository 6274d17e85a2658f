import TrackerEngine

/// Builds a `DashboardSnapshot` from a source once a second, cheaply: after the first full
/// listing it asks the store only for the (at most `changedLimit`) torrents announced to most
/// recently since the last sample, and lists everything again every `fullEvery` samples, or
/// rows/500 for big tables (to catch up, drop purged torrents and count expired peers out).
actor SnapshotSampler {
    private let source: any DashboardSource
    private let fullEvery: Int
    /// The table as last sampled, kept between samples so that a refresh touches only the
    /// torrents announced to since (100k rows are not rebuilt every second).
    private var rows: [TorrentRow] = []
    private var rowIndex: [InfoHash: Int] = [:]
    /// Each row's rate window, at the row's position.
    private var rates: [RateWindow] = []
    /// Bumped when rows move (a full listing): until then a row keeps its position.
    private var generation = 0
    private var blacklist: Set<InfoHash> = []
    private var lastListing: TrackerTime?
    /// The catalog's generation the rows were named with: a new one relists every row.
    private var catalogGeneration = 0
    private var samplesSinceFull = 0
    private var previous: (time: TrackerTime, counters: EngineCounters)?
    private var history: [Double] = []

    /// At most this many torrents re-read per incremental refresh (about 20 µs each with Redis).
    private let changedLimit: Int

    init(source: any DashboardSource, fullEvery: Int = 30, changedLimit: Int = 500) {
        self.source = source
        self.fullEvery = fullEvery
        self.changedLimit = changedLimit
    }

    /// The next sample lists every torrent again (after a purge, say).
    func requestFullListing() {
        samplesSinceFull = fullEvery
    }

    func sample() async -> DashboardSnapshot {
        let now = source.clock.now()
        async let counters = source.engines()
        async let health = source.store.health()
        await refreshTorrents(now: now)
        let engines = await counters
        var perSecond = ProtocolRates()
        if let previous {
            let seconds = max(0.001, Double(now.milliseconds - previous.time.milliseconds) / 1000)
            perSecond = ProtocolRates(from: previous.counters.requests, to: engines.requests, seconds: seconds)
            history.append(perSecond.total.announces)
            if history.count > 60 { history.removeFirst(history.count - 60) }
        }
        previous = (now, engines)
        let moderation = source.moderator.access.current.withoutExpiredBans(now: now)
        if moderation.blacklist != blacklist { markBlacklisted(moderation.blacklist) }
        return DashboardSnapshot(takenAt: now, startedAt: engines.startedAt, listening: engines.listening, store: await health,
                                 nodes: engines.nodes, rates: perSecond, announceHistory: history, torrents: rows, rowGeneration: generation, moderation: moderation,
                                 access: engines.access)
    }

    private func refreshTorrents(now: TrackerTime) async {
        // Big tables are listed whole less often (every rows/500 samples, at least `fullEvery`),
        // so that the full listing's cost, spread over the samples, stays a few ms a second.
        let catalog = source.catalog?.current
        let renamed = (catalog?.generation ?? 0) != catalogGeneration
        catalogGeneration = catalog?.generation ?? 0
        let full = lastListing == nil || renamed || samplesSinceFull >= max(fullEvery, rows.count / 500)
        // A second of overlap, so an announce landing during the last listing is not missed.
        let since = full ? nil : lastListing.map { $0.adding(seconds: -2) }
        // Bounded: on a very busy tracker the least recent of the changed torrents wait for the full listing.
        guard let listed = try? await source.store.torrents(activeSince: since, limit: full ? nil : changedLimit, now: now) else { return }
        // A full listing rebuilds the table; a torrent still listed keeps its rate window.
        var carried: [InfoHash: RateWindow] = [:]
        if full {
            for (hash, index) in rowIndex { carried[hash] = rates[index] }
            rows = []
            rates = []
            rowIndex = [:]
            rows.reserveCapacity(listed.count)
            rates.reserveCapacity(listed.count)
            generation += 1
            samplesSinceFull = 0
        } else {
            samplesSinceFull += 1
        }
        let described = catalog?.entries ?? [:]
        for info in listed {
            let known = rowIndex[info.infoHash]
            let index = known ?? rows.count
            if known == nil {
                rowIndex[info.infoHash] = index
                rates.append(carried[info.infoHash] ?? RateWindow(start: now, announces: info.announces))
            }
            rates[index].advance(info.announces, now: now)
            let entry = described[info.infoHash]
            let row = TorrentRow(infoHash: info.infoHash, seeders: info.counts.seeders, leechers: info.counts.leechers,
                                 completed: info.counts.completed, announcesPerMinute: rates[index].perMinute(info.announces, now: now),
                                 lastActivity: info.lastActivity, blacklisted: blacklist.contains(info.infoHash),
                                 lifecycle: TorrentLifecycle(firstSeen: info.firstSeen, firstStarted: info.firstStarted, lastStarted: info.lastStarted,
                                                             firstCompleted: info.firstCompleted, lastCompleted: info.lastCompleted),
                                 catalogEntry: entry)
            if known == nil { rows.append(row) } else { rows[index] = row }
        }
        if full { addBlacklistedRows() }
        lastListing = now
    }

    /// Flags rows whose blacklisting changed; a blacklisted torrent's swarm is purged, but it
    /// stays listed (marked) while blacklisted.
    private func markBlacklisted(_ new: Set<InfoHash>) {
        for hash in new.symmetricDifference(blacklist) {
            if let index = rowIndex[hash] { rows[index].blacklisted = new.contains(hash) }
        }
        blacklist = new
        addBlacklistedRows()
    }

    private func addBlacklistedRows() {
        for hash in blacklist where rowIndex[hash] == nil {
            rowIndex[hash] = rows.count
            rows.append(TorrentRow(infoHash: hash, seeders: 0, leechers: 0, completed: 0, announcesPerMinute: 0,
                                   lastActivity: TrackerTime(seconds: 0), blacklisted: true))
            rates.append(RateWindow(start: TrackerTime(seconds: 0), announces: 0))
        }
    }
}

/// A torrent's announces per minute, from its running count: two marks at least 30 s apart,
/// the rate measured from the older one (a window of 30 to 60 seconds).
struct RateWindow: Sendable {
    private var older: (time: TrackerTime, announces: UInt64)
    private var newer: (time: TrackerTime, announces: UInt64)

    init(start: TrackerTime, announces: UInt64) {
        older = (start, announces)
        newer = (start, announces)
    }

    mutating func advance(_ announces: UInt64, now: TrackerTime) {
        if now.milliseconds - newer.time.milliseconds >= 30_000 {
            older = newer
            newer = (now, announces)
        }
    }

    func perMinute(_ announces: UInt64, now: TrackerTime) -> Double {
        let millis = now.milliseconds - older.time.milliseconds
        guard millis >= 1000, announces >= older.announces else { return 0 }
        return Double(announces - older.announces) * 60_000 / Double(millis)
    }
}
