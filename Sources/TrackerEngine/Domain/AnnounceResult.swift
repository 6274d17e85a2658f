/// A store's answer to an announce: the swarm's counts after it, and the peers chosen for the announcer.
public struct AnnounceResult: Sendable, Equatable {
    public var counts: SwarmCounts
    /// Peers of the announcer's address family in compact form (6 or 18 bytes each), ready to copy.
    public var compactPeers: [UInt8]
    /// The peers' ids, parallel to `compactPeers`; filled only when the request wants peer ids.
    public var peerIDs: [PeerID]

    public init(counts: SwarmCounts, compactPeers: [UInt8] = [], peerIDs: [PeerID] = []) {
        self.counts = counts
        self.compactPeers = compactPeers
        self.peerIDs = peerIDs
    }

    /// The peers as endpoints (for tests and the dictionary model).
    public func peers(family: AddressFamily) -> [PeerEndpoint] {
        let size = family.compactSize
        return stride(from: 0, to: compactPeers.count - size + 1, by: size).compactMap {
            PeerEndpoint(compact: compactPeers[$0..<$0 + size])
        }
    }
}

/// One torrent in a scrape answer.
public struct ScrapeEntry: Sendable, Equatable {
    public var infoHash: InfoHash
    public var counts: SwarmCounts

    public init(infoHash: InfoHash, counts: SwarmCounts) {
        self.infoHash = infoHash
        self.counts = counts
    }
}
