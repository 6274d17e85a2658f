/// One torrent in the memory store: its IPv4 and IPv6 peers and its lifecycle.
struct MemorySwarm {
    var v4 = FamilySwarm<PeerRecord4>()
    var v6 = FamilySwarm<PeerRecord6>()
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
        SwarmCounts(seeders: v4.seeders.count + v6.seeders.count,
                    leechers: v4.leechers.count + v6.leechers.count,
                    completed: Int(lifecycle.completed))
    }

    var hasPeers: Bool { !v4.isEmpty || !v6.isEmpty }

    mutating func announce(_ request: AnnounceRequest, now: UInt32, maxPeersPerClient: Int,
                           rng: inout FastRandom) -> Result<AnnounceResult, StoreError> {
        var compact: [UInt8] = []
        var ids: [PeerID] = []
        let outcome: FamilySwarm<PeerRecord4>.Outcome
        switch request.endpoint {
        case .v4(let address):
            outcome = v4.announce(request, address: address, now: now, maxPeersPerClient: maxPeersPerClient,
                                  rng: &rng, compact: &compact, ids: &ids)
        case .v6(let address):
            let o = v6.announce(request, address: address, now: now, maxPeersPerClient: maxPeersPerClient,
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
        v4.expire(seenAtOrBefore: deadline) + v6.expire(seenAtOrBefore: deadline)
    }

    mutating func remove(_ endpoint: PeerEndpoint) -> Bool {
        switch endpoint {
        case .v4(let a): return v4.remove(a)
        case .v6(let a): return v6.remove(a)
        }
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
        v4.details(into: &out)
        v6.details(into: &out)
        return out
    }
}
