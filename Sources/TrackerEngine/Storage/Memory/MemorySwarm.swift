/// One torrent in the memory store: its IPv4 and IPv6 peers, grouped by rack (peers in no rack,
/// then one group per rack present, none while no rack is defined), and its lifecycle.
struct MemorySwarm {
    var unracked = RackGroup(rack: 0)
    /// Groups of the racks that have peers here; an emptied group is dropped.
    var racked: [RackGroup] = []
    var lifecycle: Lifecycle

    /// Whole seconds since the epoch; 0 = never.
    struct Lifecycle {
        var announces: UInt64 = 0
        var completed: UInt32 = 0
        var firstSeen: UInt32
        var lastActivity: UInt32
        var firstStarted: UInt32 = 0
        var lastStarted: UInt32 = 0
        var firstCompleted: UInt32 = 0
        var lastCompleted: UInt32 = 0
    }

    init(now: UInt32) {
        lifecycle = Lifecycle(firstSeen: now, lastActivity: now)
    }

    var counts: SwarmCounts {
        var counts = SwarmCounts(seeders: unracked.seeders, leechers: unracked.leechers, completed: Int(lifecycle.completed))
        for group in racked {
            counts.seeders += group.seeders
            counts.leechers += group.leechers
        }
        return counts
    }

    var hasPeers: Bool { !unracked.isEmpty || !racked.isEmpty }

    mutating func announce(_ request: AnnounceRequest, now: UInt32, maxPeersPerClient: Int,
                           rng: inout FastRandom) -> Result<AnnounceResult, StoreError> {
        var compact: [UInt8] = []
        var ids: [PeerID] = []
        let outcome: FamilySwarm<PeerRecord4>.Outcome
        switch (request.endpoint, request.rack == 0 && racked.isEmpty) {
        case (.v4(let address), true):
            outcome = unracked.v4.announce(request, address: address, now: now, maxPeersPerClient: maxPeersPerClient,
                                           rng: &rng, compact: &compact, ids: &ids)
        case (.v6(let address), true):
            let o = unracked.v6.announce(request, address: address, now: now, maxPeersPerClient: maxPeersPerClient,
                                         rng: &rng, compact: &compact, ids: &ids)
            outcome = .init(completedNow: o.completedNow, refusedClient: o.refusedClient)
        case (.v4(let address), false):
            outcome = announceInRack(request, address: address, family: \.v4, now: now, maxPeersPerClient: maxPeersPerClient,
                                     rng: &rng, compact: &compact, ids: &ids)
        case (.v6(let address), false):
            let o = announceInRack(request, address: address, family: \.v6, now: now, maxPeersPerClient: maxPeersPerClient,
                                   rng: &rng, compact: &compact, ids: &ids)
            outcome = .init(completedNow: o.completedNow, refusedClient: o.refusedClient)
        }
        if outcome.refusedClient { return .failure(.tooManyPeersFromClient) }
        lifecycle.announces &+= 1
        lifecycle.lastActivity = now
        if request.event == .started {
            if lifecycle.firstStarted == 0 { lifecycle.firstStarted = now }
            lifecycle.lastStarted = now
        }
        if outcome.completedNow {
            lifecycle.completed &+= 1
            if lifecycle.firstCompleted == 0 { lifecycle.firstCompleted = now }
            lifecycle.lastCompleted = now
        }
        return .success(AnnounceResult(counts: counts, compactPeers: compact, peerIDs: ids))
    }

    mutating func expire(seenAtOrBefore deadline: UInt32) -> Int {
        var dropped = unracked.expire(seenAtOrBefore: deadline)
        for i in racked.indices { dropped += racked[i].expire(seenAtOrBefore: deadline) }
        racked.removeAll { $0.isEmpty }
        return dropped
    }

    mutating func remove(_ endpoint: PeerEndpoint) -> Bool {
        if unracked.remove(endpoint) { return true }
        guard let i = racked.firstIndex(where: { $0.contains(endpoint) }) else { return false }
        _ = racked[i].remove(endpoint)
        if racked[i].isEmpty { racked.remove(at: i) }
        return true
    }

    func info(_ infoHash: InfoHash) -> TorrentInfo {
        func time(_ s: UInt32) -> TrackerTime? { s == 0 ? nil : TrackerTime(seconds: Int64(s)) }
        return TorrentInfo(
            infoHash: infoHash, counts: counts, announces: lifecycle.announces,
            firstSeen: TrackerTime(seconds: Int64(lifecycle.firstSeen)),
            lastActivity: TrackerTime(seconds: Int64(lifecycle.lastActivity)),
            firstStarted: time(lifecycle.firstStarted), lastStarted: time(lifecycle.lastStarted),
            firstCompleted: time(lifecycle.firstCompleted), lastCompleted: time(lifecycle.lastCompleted))
    }

    func details() -> [PeerDetail] {
        var out: [PeerDetail] = []
        out.reserveCapacity(counts.peers)
        for group in [unracked] + racked {
            group.v4.details(into: &out)
            group.v6.details(into: &out)
        }
        return out
    }
}
