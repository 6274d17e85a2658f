/// Every torrent with its counts, lifecycle and announces per minute, read from the store at
/// most once a second however many clients poll the pages: a page asks `current`, which reads
/// the store again only when its listing is over a second old.
final class TorrentListing: Sendable {
    struct Listed: Sendable {
        var torrents: [TorrentInfo] = []
        var readAt = TrackerTime(seconds: 0)
        /// Announces per minute, from the counts of a listing read up to a minute before.
        var perMinute: [InfoHash: Double] = [:]
        var baseline: [InfoHash: UInt64] = [:]
        var baselineAt = TrackerTime(seconds: 0)
    }

    private let store: any SwarmStore
    private let state = Locked(Listed())

    init(store: any SwarmStore) {
        self.store = store
    }

    func current(now: TrackerTime) async -> Listed {
        let cached = state.value
        if now.milliseconds - cached.readAt.milliseconds < 1000 { return cached }
        // Two pages asking at the same moment may both read: bounded by the requests in flight.
        guard let torrents = try? await store.torrents(now: now) else { return cached }
        return state.update { listed in
                listed.torrents = torrents
                listed.readAt = now
                let elapsed = Double(now.milliseconds - listed.baselineAt.milliseconds) / 60_000
                if elapsed > 0, !listed.baseline.isEmpty {
                    listed.perMinute = Dictionary(uniqueKeysWithValues: torrents.compactMap { info in
                        listed.baseline[info.infoHash].map { (info.infoHash, Double(info.announces >= $0 ? info.announces - $0 : 0) / elapsed) }
                    })
                }
                if listed.baseline.isEmpty || elapsed >= 1 {
                    listed.baseline = Dictionary(torrents.map { ($0.infoHash, $0.announces) }, uniquingKeysWith: { a, _ in a })
                    listed.baselineAt = now
                }
                return listed
        }
    }
}
