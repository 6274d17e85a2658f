import TrackerEngine

/// Builds a `DashboardSnapshot` from a source once a second, cheaply: after the first full
/// listing it asks the store only for torrents announced to since the last sample, and lists
/// everything again every `fullEvery` samples (to drop purged torrents and expired peers).
actor SnapshotSampler {
    private let source: any DashboardSource
    private let fullEvery: Int
    private var torrents: [InfoHash: TorrentInfo] = [:]
    private var rates: [InfoHash: RateWindow] = [:]
    private var lastListing: TrackerTime?
    private var samplesSinceFull = 0
    private var previous: (time: TrackerTime, counters: EngineCounters)?
    private var history: [Double] = []

    init(source: any DashboardSource, fullEvery: Int = 30) {
        self.source = source
        self.fullEvery = fullEvery
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
        var perSecond = (announces: 0.0, scrapes: 0.0, failures: 0.0)
        if let previous {
            let seconds = max(0.001, Double(now.milliseconds - previous.time.milliseconds) / 1000)
            func rate(_ a: UInt64, _ b: UInt64) -> Double { a >= b ? Double(a - b) / seconds : 0 }
            perSecond = (rate(engines.announces, previous.counters.announces), rate(engines.scrapes, previous.counters.scrapes),
                         rate(engines.failures, previous.counters.failures))
            history.append(perSecond.announces)
            if history.count > 60 { history.removeFirst(history.count - 60) }
        }
        previous = (now, engines)
        let moderation = source.moderator.access.current.withoutExpiredBans(now: now)
        var rows = torrents.values.map { info in
            TorrentRow(infoHash: info.infoHash, name: nil, seeders: info.counts.seeders, leechers: info.counts.leechers,
                       completed: info.counts.completed, announcesPerMinute: rates[info.infoHash]?.perMinute(info.announces, now: now) ?? 0,
                       lastActivity: info.lastActivity, blacklisted: moderation.blacklist.contains(info.infoHash))
        }
        // A blacklisted torrent's swarm is purged, but it stays listed (marked) while blacklisted.
        for hash in moderation.blacklist where torrents[hash] == nil {
            rows.append(TorrentRow(infoHash: hash, name: nil, seeders: 0, leechers: 0, completed: 0, announcesPerMinute: 0,
                                   lastActivity: TrackerTime(seconds: 0), blacklisted: true))
        }
        return DashboardSnapshot(takenAt: now, startedAt: engines.startedAt, listening: engines.listening, store: await health,
                                 nodes: engines.nodes, announcesPerSecond: perSecond.announces, scrapesPerSecond: perSecond.scrapes,
                                 failuresPerSecond: perSecond.failures, announceHistory: history, torrents: rows, moderation: moderation)
    }

    private func refreshTorrents(now: TrackerTime) async {
        let full = lastListing == nil || samplesSinceFull >= fullEvery
        // A second of overlap, so an announce landing during the last listing is not missed.
        let since = full ? nil : lastListing.map { $0.adding(seconds: -2) }
        guard let listed = try? await source.store.torrents(activeSince: since, now: now) else { return }
        if full {
            torrents = Dictionary(listed.map { ($0.infoHash, $0) }, uniquingKeysWith: { $1 })
            rates = rates.filter { torrents[$0.key] != nil }
            samplesSinceFull = 0
        } else {
            for info in listed { torrents[info.infoHash] = info }
            samplesSinceFull += 1
        }
        for info in listed {
            rates[info.infoHash, default: RateWindow(start: now, announces: info.announces)].advance(info.announces, now: now)
        }
        lastListing = now
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
