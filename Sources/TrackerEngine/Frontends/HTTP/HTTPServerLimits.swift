/// Limits that protect the HTTP front end from slow, large, greedy or too many clients. Together
/// they bound what one connection can hold: at most `maxHeadBytes × maxPipelined` of unanswered
/// input and about `maxUnsentBytes` (plus one reply) of unsent output, so memory is bounded by
/// `maxConnections`.
public struct HTTPServerLimits: Sendable {
    public var maxConnections: Int
    /// Seconds a connection may wait between requests (keep-alive) before it is closed.
    public var idleTimeoutSeconds: Int64
    /// Seconds a request head may take to arrive whole, however its bytes trickle in.
    public var headTimeoutSeconds: Int64
    public var maxRequestLine: Int
    public var maxHeadBytes: Int
    public var maxPipelined: Int
    /// Past this much unsent output, a connection is not read or answered until its client reads.
    public var maxUnsentBytes: Int
    /// Open connections from one client: an IPv4 address, or an IPv6 /64 (one home's block).
    public var maxConnectionsPerAddress: Int
    /// Never counted per address: loopback (benchmarks, local tools) and trusted reverse proxies.
    public var exemptFromPerAddressLimit: [AddressRange]

    public init(maxConnections: Int = 10_000, idleTimeoutSeconds: Int64 = 30, headTimeoutSeconds: Int64 = 10,
                maxRequestLine: Int = 8192, maxHeadBytes: Int = 16384, maxPipelined: Int = 4, maxUnsentBytes: Int = 65_536,
                maxConnectionsPerAddress: Int = 512, exemptFromPerAddressLimit: [AddressRange] = AddressRange.loopback) {
        self.maxConnections = maxConnections
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.headTimeoutSeconds = headTimeoutSeconds
        self.maxRequestLine = maxRequestLine
        self.maxHeadBytes = maxHeadBytes
        self.maxPipelined = maxPipelined
        self.maxUnsentBytes = maxUnsentBytes
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.exemptFromPerAddressLimit = exemptFromPerAddressLimit
    }
}

extension AddressRange {
    /// 127.0.0.0/8 and ::1.
    public static let loopback = [AddressRange(.v4(0x7F00_0000), prefixLength: 8), AddressRange(.v6(high: 0, low: 1))]
}
