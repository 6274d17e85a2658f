/// How much state clients may make a store hold. Past either bound an announce is refused with
/// its own failure reason and nothing else is touched.
public struct SwarmLimits: Sendable, Equatable {
    /// Swarms the store holds at most; an announce that would start one more is refused
    /// (`tracker is full`). Any info_hash starts a swarm, so without it one client could fill memory.
    public var maxTorrents: Int
    /// Peers one client (an IPv4 address or an IPv6 /64) may have in one swarm: one address could
    /// otherwise add 65,535 peers by varying `port`. At most 65,535.
    public var maxPeersPerClient: Int

    public init(maxTorrents: Int = 1_000_000, maxPeersPerClient: Int = 256) {
        self.maxTorrents = maxTorrents
        self.maxPeersPerClient = min(maxPeersPerClient, Int(UInt16.max))
    }
}
