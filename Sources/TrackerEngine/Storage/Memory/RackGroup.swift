/// One swarm's peers of one rack (rack 0: the peers in no rack), both address families.
struct RackGroup {
    let rack: UInt8
    var v4 = FamilySwarm<PeerRecord4>()
    var v6 = FamilySwarm<PeerRecord6>()

    init(rack: UInt8) {
        self.rack = rack
    }

    var isEmpty: Bool { v4.isEmpty && v6.isEmpty }
    var seeders: Int { v4.seeders.count + v6.seeders.count }
    var leechers: Int { v4.leechers.count + v6.leechers.count }

    func contains(_ endpoint: PeerEndpoint) -> Bool {
        switch endpoint {
        case .v4(let a): return v4.contains(a)
        case .v6(let a): return v6.contains(a)
        }
    }

    mutating func remove(_ endpoint: PeerEndpoint) -> Bool {
        switch endpoint {
        case .v4(let a): return v4.remove(a)
        case .v6(let a): return v6.remove(a)
        }
    }

    mutating func expire(seenAtOrBefore deadline: UInt32) -> Int {
        v4.expire(seenAtOrBefore: deadline) + v6.expire(seenAtOrBefore: deadline)
    }
}

extension MemorySwarm {
    /// An announce while racks are in play: the peer is kept in its rack's group (moved there,
    /// record and all, if the racks were redefined since it last came), and its reply is filled
    /// from its own group first, then from the other groups, taken in turn from a random one.
    mutating func announceInRack<Record: PeerRecord>(
        _ request: AnnounceRequest, address: Record.Address, family: WritableKeyPath<RackGroup, FamilySwarm<Record>>, now: UInt32,
        maxPeersPerClient: Int, rng: inout FastRandom, compact: inout [UInt8], ids: inout [PeerID]
    ) -> FamilySwarm<Record>.Outcome {
        var own = RackGroup(rack: request.rack)
        var ownIndex: Int?  // in `racked`; nil for the unracked group
        if request.rack == 0 {
            swap(&own, &unracked)
        } else if let i = racked.firstIndex(where: { $0.rack == request.rack }) {
            ownIndex = i
            swap(&own, &racked[i])
        }
        if !own[keyPath: family].contains(address) {
            if request.rack != 0, let moved = unracked[keyPath: family].take(address) {
                own[keyPath: family].adopt(moved.record, isSeeder: moved.isSeeder)
            } else if let i = racked.indices.first(where: { $0 != ownIndex && racked[$0][keyPath: family].contains(address) }),
                      let moved = racked[i][keyPath: family].take(address) {
                own[keyPath: family].adopt(moved.record, isSeeder: moved.isSeeder)
            }
        }
        let outcome = own[keyPath: family].announce(request, address: address, now: now, maxPeersPerClient: maxPeersPerClient,
                                                    rng: &rng, compact: &compact, ids: &ids)
        if request.rack == 0 {
            swap(&own, &unracked)
        } else if let ownIndex {
            swap(&own, &racked[ownIndex])
        } else if !own.isEmpty {
            racked.append(own)
            ownIndex = racked.count - 1
        }
        var missing = request.numwant - compact.count / Record.compactSize
        if missing > 0, request.event != .stopped, !outcome.refusedClient {
            // Every other group: the unracked one is `-1`.
            let others = ([-1] + Array(racked.indices)).filter { $0 != (request.rack == 0 ? -1 : ownIndex ?? -2) }
            let start = others.isEmpty ? 0 : rng.below(others.count)
            for step in 0..<others.count where missing > 0 {
                let index = others[(start + step) % others.count]
                let group = index < 0 ? unracked : racked[index]
                group[keyPath: family].sample(for: request.isSeeder, numwant: missing, wantIDs: request.wantsPeerIDs,
                                              rng: &rng, compact: &compact, ids: &ids)
                missing = request.numwant - compact.count / Record.compactSize
            }
        }
        racked.removeAll { $0.isEmpty }
        return outcome
    }
}
