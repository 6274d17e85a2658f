/// Counts one connection's announces per swarm and hands them to Redis at most once a second per
/// swarm. The announce script writes the lifecycle hash (`announces`, `last_activity`) only when
/// it is handed a count or something else changed, so a busy swarm's lifecycle is written about
/// once a second per connection instead of on every announce: each write costs redis-server the
/// command and its append-only-file record, a third of a steady announce.
///
/// What it costs: a swarm's `announces` and `last_activity` lag its announces by up to a second
/// or two; counts held by a connection that breaks are lost (at most a second's worth).
struct RedisAnnounceCounts {
    private struct Entry {
        /// Announces counted here and not yet handed to Redis.
        var held: Int
        /// When the swarm's count was last handed over, in the announces' clock (ms).
        var handedAt: Int64
        /// Since when `held` is above zero, in `MonotonicClock.seconds()`.
        var heldSince: Double
    }

    private var entries: [InfoHash: Entry] = [:]
    private var nextStrandedCheck = 0.0
    private var nextForget = 0.0
    let intervalMillis: Int64
    let maxSwarms: Int

    init(intervalMillis: Int64 = 1000, maxSwarms: Int = 65_536) {
        self.intervalMillis = intervalMillis
        self.maxSwarms = maxSwarms
    }

    /// The count an announce to `infoHash` hands to its script: itself and what was held, or 0
    /// (held) when the swarm's count was handed over less than a second ago. Past `maxSwarms`
    /// swarms, a new swarm's announces are handed over one by one.
    mutating func take(_ infoHash: InfoHash, nowMillis: Int64, seconds: Double) -> Int {
        guard var entry = entries[infoHash] else {
            if entries.count < maxSwarms { entries[infoHash] = Entry(held: 0, handedAt: nowMillis, heldSince: seconds) }
            return 1
        }
        if nowMillis - entry.handedAt < intervalMillis, nowMillis >= entry.handedAt {
            if entry.held == 0 { entry.heldSince = seconds }
            entry.held += 1
            entries[infoHash] = entry
            return 0
        }
        let count = entry.held + 1
        entries[infoHash] = Entry(held: 0, handedAt: nowMillis, heldSince: seconds)
        return count
    }

    /// Counts held for over a second by swarms that had no announce since, to hand over on their
    /// own; looked for at most once a second. Swarms without an announce for a minute are forgotten.
    mutating func stranded(seconds: Double) -> [(infoHash: InfoHash, count: Int)] {
        guard seconds >= nextStrandedCheck else { return [] }
        nextStrandedCheck = seconds + Double(intervalMillis) / 1000
        var out: [(infoHash: InfoHash, count: Int)] = []
        for (hash, entry) in entries where entry.held > 0 && seconds - entry.heldSince >= Double(intervalMillis) / 1000 {
            out.append((hash, entry.held))
        }
        for item in out { entries[item.infoHash]?.held = 0 }
        if seconds >= nextForget {
            nextForget = seconds + 60
            entries = entries.filter { $0.value.held > 0 || seconds - $0.value.heldSince < 60 }
        }
        return out
    }

    /// True when `stranded(seconds:)` may have counts to hand over.
    func mayHaveStranded(seconds: Double) -> Bool {
        seconds >= nextStrandedCheck && !entries.isEmpty
    }
}
