/// A UDP tracker reply (BEP 15), written big-endian straight into the caller's datagram buffer
/// (a worker's send slot): no buffer of its own, no copy between building and sending.
public enum UDPReply: Sendable, Equatable {
    case connect(transactionID: UInt32, connectionID: UInt64)
    /// The peers as the store gave them: 6 bytes each for an IPv4 socket, 18 for IPv6 (the
    /// caller keeps to the request's family).
    case announce(transactionID: UInt32, interval: Int, counts: SwarmCounts, compactPeers: [UInt8])
    /// Seeders, completed, leechers for each asked info_hash, in the order asked.
    case scrape(transactionID: UInt32, counts: [SwarmCounts])
    /// Action 3 with the same failure reason an HTTP client would read.
    case error(transactionID: UInt32, message: String)

    /// Most bytes a reply may take: a 1,500-byte datagram less its IPv4 and UDP headers.
    public static let maxSize = 1472

    /// Most peers one reply carries so that it fits a 1,500-byte datagram with its IP and UDP
    /// headers: 200 IPv4 peers (20 + 8 + 20 + 200 × 6 = 1,248 bytes), 74 IPv6 peers
    /// (40 + 8 + 20 + 74 × 18 = 1,400 bytes).
    public static func maxPeers(_ family: AddressFamily) -> Int {
        family == .ipv6 ? 74 : 200
    }

    /// Writes the reply at the start of `buffer` (at least `maxSize` bytes) and returns its
    /// length. Whatever would pass `maxSize` (peers or a message longer than the tracker ever
    /// makes) is cut off, never written past the buffer.
    public func write(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        precondition(buffer.count >= Self.maxSize, "a reply buffer holds a whole datagram")
        var out = BigEndianWriter(UnsafeMutableRawBufferPointer(rebasing: buffer[..<Self.maxSize]))
        switch self {
        case let .connect(transactionID, connectionID):
            out.uint32(UDPRequest.Action.connect.rawValue)
            out.uint32(transactionID)
            out.uint64(connectionID)
        case let .announce(transactionID, interval, counts, compactPeers):
            out.uint32(UDPRequest.Action.announce.rawValue)
            out.uint32(transactionID)
            out.uint32(UInt32(clamping: interval))
            out.uint32(UInt32(clamping: counts.leechers))
            out.uint32(UInt32(clamping: counts.seeders))
            compactPeers.withUnsafeBytes { out.bytes($0) }
        case let .scrape(transactionID, counts):
            out.uint32(UDPRequest.Action.scrape.rawValue)
            out.uint32(transactionID)
            for entry in counts {
                out.uint32(UInt32(clamping: entry.seeders))
                out.uint32(UInt32(clamping: entry.completed))
                out.uint32(UInt32(clamping: entry.leechers))
            }
        case let .error(transactionID, message):
            out.uint32(UDPRequest.Action.error.rawValue)
            out.uint32(transactionID)
            var message = message
            message.withUTF8 { out.bytes(UnsafeRawBufferPointer($0)) }
        }
        return out.offset
    }

    /// The reply as bytes (tests, tools); the tracker writes into its send slots instead.
    public var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Self.maxSize) { buffer, count in
            count = write(into: UnsafeMutableRawBufferPointer(buffer))
        }
    }
}
