/// The seeders and leechers of one address family in one swarm, and the announce rules that move
/// peers between them.
struct FamilySwarm<Record: PeerRecord> {
    var seeders = PeerTable<Record>()
    var leechers = PeerTable<Record>()
    /// Peers per client (`Record.client`), kept only while the swarm has at least as many peers
    /// as one client may have: below that, no client can be over the limit, and small swarms
    /// (nearly all of them) pay nothing. Small entries (an IPv4 client is 4 bytes, a count 2:
    /// the limit is at most 65,535), since a big swarm has about one entry per peer.
    private var clientCounts: [Record.Client: UInt16]?

    var isEmpty: Bool { seeders.isEmpty && leechers.isEmpty }
    var count: Int { seeders.count + leechers.count }

    /// What an announce changed, for the swarm's lifecycle.
    struct Outcome {
        var completedNow = false
        /// The announcer's client already has the most peers allowed here; nothing was changed.
        var refusedClient = false
    }

    /// Applies one announce; fills `compact` (and `ids`) with up to `numwant` other peers.
    mutating func announce(_ request: AnnounceRequest, address: Record.Address, now: UInt32, maxPeersPerClient: Int,
                           rng: inout FastRandom, compact: inout [UInt8], ids: inout [PeerID]) -> Outcome {
        var outcome = Outcome()
        let seederPosition = seeders.find(address)
        let leecherPosition = seederPosition == nil ? leechers.find(address) : nil
        let isSeeder = request.isSeeder
        let place: AnnounceRules.Place = seederPosition != nil ? .seeders : leecherPosition != nil ? .leechers : .absent
        let transition = AnnounceRules.transition(event: request.event, isSeeder: isSeeder, was: place,
                                                  completionCounted: leecherPosition.map { leechers[$0].flags.contains(.completionCounted) } ?? false)

        if transition.leaves {
            if let p = seederPosition { seeders.remove(at: p) }
            if let p = leecherPosition { leechers.remove(at: p) }
            if place != .absent { forgetClient(of: address) }
            return outcome
        }
        if transition.joins, !admitClient(of: address, limit: maxPeersPerClient) {
            outcome.refusedClient = true
            return outcome
        }

        var record: Record
        if let p = seederPosition {
            record = isSeeder ? seeders[p] : seeders.remove(at: p)
        } else if let p = leecherPosition {
            record = isSeeder ? leechers.remove(at: p) : leechers[p]
        } else {
            record = Record(address: address)
            record.firstSeen = now
        }
        if transition.countsCompletion {
            record.flags.insert(.completionCounted)
            outcome.completedNow = true
        }
        record.update(from: request, now: now)

        let selfPosition: Int?
        switch (isSeeder, seederPosition, leecherPosition) {
        case (true, .some(let p), _):
            seeders[p] = record
            selfPosition = nil
        case (false, _, .some(let p)):
            leechers[p] = record
            selfPosition = p
        case (true, _, _):
            seeders.insert(record)
            selfPosition = nil
        case (false, _, _):
            leechers.insert(record)
            selfPosition = leechers.count - 1
        }

        if request.numwant > 0 {
            let sets = AnnounceRules.drawsFrom(isSeeder: isSeeder)
            sample(leechers: sets.leechers, seeders: sets.seeders, skipLeecher: selfPosition, numwant: request.numwant,
                   wantIDs: request.wantsPeerIDs, rng: &rng, compact: &compact, ids: &ids)
        }
        return outcome
    }

    /// Picks a window of peers starting at a random point of [seeders..., leechers...] (only the
    /// tables asked for), wrapping around and skipping the announcer. Swap-removal keeps the order
    /// churning, so successive windows differ.
    private func sample(leechers useLeechers: Bool, seeders useSeeders: Bool, skipLeecher: Int?, numwant: Int,
                        wantIDs: Bool, rng: inout FastRandom, compact: inout [UInt8], ids: inout [PeerID]) {
        let seederCount = useSeeders ? seeders.count : 0
        let leecherCount = useLeechers ? leechers.count : 0
        let total = seederCount + leecherCount
        let available = total - (skipLeecher == nil ? 0 : 1)
        let take = min(numwant, available)
        guard take > 0 else { return }
        let size = Record.compactSize
        let drawn = [UInt8](unsafeUninitializedCapacity: take * size) { buffer, initialized in
            let base = UnsafeMutableRawPointer(buffer.baseAddress!)
            var taken = 0
            var cursor = total > take ? rng.below(total) : 0
            while taken < take {
                let record: Record
                if cursor < seederCount {
                    record = seeders[cursor]
                } else {
                    let position = cursor - seederCount
                    if position == skipLeecher {
                        cursor = cursor + 1 == total ? 0 : cursor + 1
                        continue
                    }
                    record = leechers[position]
                }
                record.writeCompact(to: base + taken * size)
                if wantIDs { ids.append(PeerID(record.peerID)) }
                taken += 1
                cursor = cursor + 1 == total ? 0 : cursor + 1
            }
            initialized = take * size
        }
        if compact.isEmpty { compact = drawn } else { compact += drawn }
    }

    /// Adds up to `numwant` of this group's peers to a reply that has some already (racks: the
    /// announcer's own rack came first): leechers, and seeders too for a leecher.
    func sample(for announcerIsSeeder: Bool, numwant: Int, wantIDs: Bool, rng: inout FastRandom, compact: inout [UInt8], ids: inout [PeerID]) {
        let sets = AnnounceRules.drawsFrom(isSeeder: announcerIsSeeder)
        sample(leechers: sets.leechers, seeders: sets.seeders, skipLeecher: nil, numwant: numwant, wantIDs: wantIDs, rng: &rng, compact: &compact, ids: &ids)
    }

    func contains(_ address: Record.Address) -> Bool {
        seeders.find(address) != nil || leechers.find(address) != nil
    }

    /// Takes a peer out, with where it was (a peer whose rack changed moves to its new rack's group).
    mutating func take(_ address: Record.Address) -> (record: Record, isSeeder: Bool)? {
        let taken: (Record, Bool)
        if let p = seeders.find(address) {
            taken = (seeders.remove(at: p), true)
        } else if let p = leechers.find(address) {
            taken = (leechers.remove(at: p), false)
        } else {
            return nil
        }
        forgetClient(of: address)
        return taken
    }

    /// Puts in a peer taken from another group, where it was; its client is counted here from now on.
    mutating func adopt(_ record: Record, isSeeder: Bool) {
        if isSeeder { seeders.insert(record) } else { leechers.insert(record) }
        if clientCounts != nil { clientCounts![Record.client(record.address), default: 0] += 1 }
    }

    /// Drops peers last seen at or before `deadline`; returns how many.
    mutating func expire(seenAtOrBefore deadline: UInt32) -> Int {
        let dropped = seeders.removeAll { $0.lastSeen <= deadline } + leechers.removeAll { $0.lastSeen <= deadline }
        if dropped > 0, clientCounts != nil { clientCounts = nil }  // counted again when next needed
        return dropped
    }

    mutating func remove(_ address: Record.Address) -> Bool {
        var removed = false
        if let p = seeders.find(address) {
            seeders.remove(at: p)
            removed = true
        } else if let p = leechers.find(address) {
            leechers.remove(at: p)
            removed = true
        }
        if removed { forgetClient(of: address) }
        return removed
    }

    // MARK: peers per client

    /// Whether a new peer of `address`'s client may join; counts it if so.
    private mutating func admitClient(of address: Record.Address, limit: Int) -> Bool {
        if clientCounts == nil {
            guard count >= limit else { return true }
            var counts: [Record.Client: UInt16] = [:]
            for r in seeders.records { counts[Record.client(r.address), default: 0] += 1 }
            for r in leechers.records { counts[Record.client(r.address), default: 0] += 1 }
            clientCounts = counts
        }
        let client = Record.client(address)
        let current = clientCounts![client, default: 0]
        guard current < limit else { return false }
        clientCounts![client] = current + 1
        return true
    }

    private mutating func forgetClient(of address: Record.Address) {
        guard clientCounts != nil else { return }
        let client = Record.client(address)
        let left = clientCounts![client, default: 1] - 1
        clientCounts![client] = left > 0 ? left : nil
    }

    func details(into out: inout [PeerDetail]) {
        for r in seeders.records { out.append(r.detail(isSeeder: true)) }
        for r in leechers.records { out.append(r.detail(isSeeder: false)) }
    }
}
