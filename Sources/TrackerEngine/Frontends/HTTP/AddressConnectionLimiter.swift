/// Counts open connections per client, across every worker, and refuses those past
/// `maximum`: a client is an IPv4 address or an IPv6 /64 (a home gets a /64 and may rotate
/// through it). Exempt ranges (loopback, trusted proxies) are not counted at all. Bounded: an
/// entry exists only while its client has a connection open, so at most `--max-connections`.
public final class AddressConnectionLimiter: Sendable {
    public let maximum: Int
    private let exempt: [AddressRange]
    private let shards: [Locked<[PeerAddress: Int]>]

    public init(maximum: Int, exempt: [AddressRange], shardCount: Int = 16) {
        self.maximum = maximum
        self.exempt = exempt
        self.shards = (0..<shardCount).map { _ in Locked([:]) }
    }

    /// The key a connection from `endpoint` is counted under; nil when exempt.
    public func client(_ endpoint: PeerEndpoint) -> PeerAddress? {
        let address = PeerAddress(endpoint)
        if exempt.contains(where: { $0.contains(address) }) { return nil }
        return address.client
    }

    /// Takes a place for `client`; false (and nothing taken) when it has `maximum` open.
    public func acquire(_ client: PeerAddress) -> Bool {
        shard(client).update { open in
            let count = open[client, default: 0]
            guard count < maximum else { return false }
            open[client] = count + 1
            return true
        }
    }

    public func release(_ client: PeerAddress) {
        shard(client).update { open in
            let count = open[client, default: 1] - 1
            open[client] = count > 0 ? count : nil
        }
    }

    private func shard(_ client: PeerAddress) -> Locked<[PeerAddress: Int]> {
        shards[Int(truncatingIfNeeded: UInt(bitPattern: client.hashValue) % UInt(shards.count))]
    }
}
