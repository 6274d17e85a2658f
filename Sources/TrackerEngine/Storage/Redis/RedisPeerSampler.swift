/// Picks an announce's peers. Each store connection (a lane or a store thread) keeps the members
/// of the sets it last sampled, with the set sizes of each swarm's last reply: while a set's size
/// is still the one its members were read at, and they are under two seconds old, the sample
/// comes from them and Redis sends no members at all. Otherwise the set is read again with plain
/// commands pipelined right after the announce's script, so the sample sees the swarm as the
/// script left it and the announce stays one round trip.
///
/// Why: replying 50 members costs redis-server about as much as the script itself, and a hot
/// swarm is announced to many times a second with the same members. What it costs: a peer that
/// replaced another between two reads (the size unchanged) is missed for up to two seconds, and
/// a node sees another node's new peer one announce later (that announce's reply brings the new
/// size, and the next one reads the set again).
///
/// Reads: HRANDFIELD `maxMembers` of the peer hash (its distinct fields, the whole hash when it
/// is smaller). A leecher draws seeders first, then leechers; a seeder draws leechers only. An
/// announcer in a rack draws from its rack's sets first (SRANDMEMBER, read each time, not kept),
/// then from the whole swarm as any other.
struct RedisPeerSampler {
    /// One swarm's set of one family and role.
    struct SetKey: Hashable {
        var infoHash: InfoHash
        var v6: Bool
        var seeders: Bool
    }

    /// A set the sample draws from: the members kept, or read by one command of this batch
    /// (`isRead`; `members` filled when its reply is read).
    struct Source {
        var key: SetKey
        var isRead: Bool
        var members: [UInt8] = []
        /// One of the announcer's rack's sets: read every time, never kept.
        var isRack = false
    }

    /// What the sample's commands were and how to read their replies.
    struct Plan {
        var sources: [Source] = []
        var numwant = 0
        /// The announcer's own member, never returned to it.
        var skip: [UInt8] = []
    }

    private struct SizeKey: Hashable {
        var infoHash: InfoHash
        var v6: Bool
    }

    private struct Kept {
        var members: [UInt8]
        var count: Int
        var readAt: Int64
    }

    /// Own-family (seeders, leechers) from each swarm's last reply.
    private var sizes: [SizeKey: (seeders: Int, leechers: Int)] = [:]
    private var kept: [SetKey: Kept] = [:]
    private var keptBytes = 0
    private let maxRemembered: Int
    private let maxKeptBytes: Int
    let maxMembers: Int
    let maxAgeMillis: Int64
    private var rng = FastRandom()

    /// Both memories are cleared whole when they reach their bounds (swarms, bytes of members);
    /// a plan carries its sets' members, so a clear never takes them from a batch being read.
    init(maxRemembered: Int = 65_536, maxKeptBytes: Int = 32 << 20, maxMembers: Int = 1000, maxAgeMillis: Int64 = 2000) {
        self.maxRemembered = maxRemembered
        self.maxKeptBytes = maxKeptBytes
        self.maxMembers = maxMembers
        self.maxAgeMillis = maxAgeMillis
    }

    /// Writes the commands that read the sets `request` needs and does not have fresh; `announcer`
    /// is its compact endpoint, `swarm` the keys' common part, the suffixes name the announcer's
    /// family's sets.
    mutating func plan(for request: AnnounceRequest, now: TrackerTime, announcer: [UInt8], swarm: [UInt8],
                       family: RedisKeys.FamilySets, rack: String?, into writer: inout RESPWriter) -> Plan {
        var plan = Plan(numwant: request.numwant)
        guard request.event != .stopped, request.numwant > 0 else { return plan }
        let v6 = request.endpoint.isV6
        let seeders = family.seeders, leechers = family.leechers
        let known = sizes[SizeKey(infoHash: request.infoHash, v6: v6)]
        if !request.isSeeder { plan.skip = announcer }
        if let rack {
            for (isSeeders, role) in [(true, seeders), (false, leechers)] where !isSeeders || !request.isSeeder {
                writer.command(3)
                writer.bulk("SRANDMEMBER")
                writer.bulk(swarm + RedisKeys.rackSet(rack, role: role))
                writer.bulk(request.numwant + 1)
                plan.sources.append(Source(key: SetKey(infoHash: request.infoHash, v6: v6, seeders: isSeeders), isRead: true, isRack: true))
            }
        }
        if !request.isSeeder {
            let key = SetKey(infoHash: request.infoHash, v6: v6, seeders: true)
            plan.sources.append(source(key, size: known?.seeders, now: now, swarm: swarm, suffix: seeders, writer: &writer))
        }
        let key = SetKey(infoHash: request.infoHash, v6: v6, seeders: false)
        plan.sources.append(source(key, size: known?.leechers, now: now, swarm: swarm, suffix: leechers, writer: &writer))
        return plan
    }

    private mutating func source(_ key: SetKey, size: Int?, now: TrackerTime, swarm: [UInt8], suffix: StaticString,
                                 writer: inout RESPWriter) -> Source {
        if let size, let members = kept[key], members.count == size, now.milliseconds - members.readAt < maxAgeMillis {
            return Source(key: key, isRead: false, members: members.members)
        }
        writer.command(3)
        writer.bulk("HRANDFIELD")
        writer.bulk(swarm, suffix)
        writer.bulk(maxMembers)
        return Source(key: key, isRead: true)
    }

    /// Keeps the members just read for a set.
    mutating func keep(_ members: [UInt8], memberSize: Int, for key: SetKey, now: TrackerTime) {
        if kept.count >= maxRemembered || keptBytes + members.count > maxKeptBytes {
            kept.removeAll(keepingCapacity: true)
            keptBytes = 0
        }
        keptBytes += members.count - (kept[key]?.members.count ?? 0)
        kept[key] = Kept(members: members, count: members.count / max(memberSize, 1), readAt: now.milliseconds)
    }

    /// Draws the sample from the members of the plan's sets, each from a random offset. The
    /// first set drawn from is copied in runs (one read's members are distinct); a later one's
    /// members are checked against what was drawn before (a peer can sit in a rack's set and its
    /// swarm's hash, or in a seeders read and a leechers read made at different times).
    mutating func draw(_ plan: Plan, memberSize: Int, into collector: inout RedisSampleCollector, seen: inout FingerprintSet) {
        var drawnFrom = 0
        for source in plan.sources {
            let count = source.members.count / memberSize
            guard !collector.isFull, count > 0 else { continue }
            let first = rng.below(count)
            source.members.withUnsafeBytes { bytes in
                if drawnFrom == 0 {
                    collector.addDistinct(bytes, count: count, from: first)
                    return
                }
                if drawnFrom == 1 { collector.noteDrawn(in: &seen) }
                for step in 0..<count where !collector.isFull {
                    let i = first + step < count ? first + step : first + step - count
                    collector.add(UnsafeRawBufferPointer(rebasing: bytes[i * memberSize..<(i + 1) * memberSize]), seen: &seen)
                }
            }
            drawnFrom += 1
        }
    }

    /// Notes a swarm's own-family sizes after an announce, for the next plan.
    mutating func remember(_ request: AnnounceRequest, seeders: Int, leechers: Int) {
        if sizes.count >= maxRemembered { sizes.removeAll(keepingCapacity: true) }
        sizes[SizeKey(infoHash: request.infoHash, v6: request.endpoint.isV6)] = (seeders, leechers)
    }
}

/// Collects a sample into compact peers: members of the announcer's size only, never the
/// announcer, no member twice (a peer can sit in a seeders read and a leechers read made at
/// different times), at most `numwant`.
struct RedisSampleCollector {
    private(set) var compact: [UInt8] = []
    private let skip: [UInt8]
    /// The announcer's fingerprint: only a member with the same one is compared byte for byte.
    private let skipFingerprint: UInt64?
    private let memberSize: Int
    private let capacity: Int

    init(plan: RedisPeerSampler.Plan, memberSize: Int, seen: inout FingerprintSet) {
        self.skip = plan.skip
        self.skipFingerprint = plan.skip.isEmpty ? nil : plan.skip.withUnsafeBytes { FingerprintSet.fingerprint($0) }
        self.memberSize = memberSize
        self.capacity = plan.numwant * memberSize
        compact.reserveCapacity(capacity)
        seen.clear(expecting: plan.numwant)
    }

    var isFull: Bool { compact.count >= capacity }

    /// Adds the `count` members of `members` (distinct: one read's) from `first` on, wrapping
    /// round, until full: in runs between the announcer's member, if it is there, and the room left.
    mutating func addDistinct(_ members: UnsafeRawBufferPointer, count: Int, from first: Int) {
        guard members.count >= count * memberSize else { return }
        for segment in [first..<count, 0..<first] {
            var start = segment.lowerBound
            while start < segment.upperBound, !isFull {
                let stop = min(segment.upperBound, start + (capacity - compact.count) / memberSize)
                let announcer = skip.isEmpty ? nil : (start..<stop).first { isSkipped(members, at: $0) }
                let end = announcer ?? stop
                compact.append(contentsOf: UnsafeRawBufferPointer(rebasing: members[start * memberSize..<end * memberSize]))
                start = announcer.map { $0 + 1 } ?? stop
            }
        }
    }

    /// Puts what was drawn so far into `seen`, before members of another set are added one by one.
    func noteDrawn(in seen: inout FingerprintSet) {
        compact.withUnsafeBytes { bytes in
            for offset in stride(from: 0, to: bytes.count, by: memberSize) {
                _ = seen.insert(FingerprintSet.fingerprint(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + memberSize])))
            }
        }
    }

    private func isSkipped(_ members: UnsafeRawBufferPointer, at index: Int) -> Bool {
        let member = UnsafeRawBufferPointer(rebasing: members[index * memberSize..<(index + 1) * memberSize])
        return FingerprintSet.fingerprint(member) == skipFingerprint && member.elementsEqual(skip)
    }

    mutating func add(_ member: UnsafeRawBufferPointer, seen: inout FingerprintSet) {
        guard member.count == memberSize, !isFull else { return }
        let fingerprint = FingerprintSet.fingerprint(member)
        if fingerprint == skipFingerprint, member.elementsEqual(skip) { return }
        guard seen.insert(fingerprint) else { return }
        compact.append(contentsOf: member)
    }
}
