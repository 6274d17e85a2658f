import NIOCore

/// Writes UDP tracker replies (BEP 15), big-endian, into a buffer.
public enum UDPResponse {
    public static let connectSize = 16

    public static func writeConnect(transactionID: UInt32, connectionID: UInt64, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UDPRequest.Action.connect.rawValue)
        buffer.writeInteger(transactionID)
        buffer.writeInteger(connectionID)
    }

    /// Action, transaction id, interval, leechers, seeders, then the peers as the store gave them
    /// (6 bytes each for an IPv4 socket, 18 for IPv6: the caller keeps to the request's family).
    public static func writeAnnounce(transactionID: UInt32, interval: Int, counts: SwarmCounts, compactPeers: [UInt8],
                                     into buffer: inout ByteBuffer) {
        buffer.writeInteger(UDPRequest.Action.announce.rawValue)
        buffer.writeInteger(transactionID)
        buffer.writeInteger(UInt32(clamping: interval))
        buffer.writeInteger(UInt32(clamping: counts.leechers))
        buffer.writeInteger(UInt32(clamping: counts.seeders))
        buffer.writeBytes(compactPeers)
    }

    /// Seeders, completed, leechers for each asked info_hash, in the order asked; unknown ones are zeros.
    public static func writeScrape(transactionID: UInt32, asked: [InfoHash], entries: [ScrapeEntry], into buffer: inout ByteBuffer) {
        buffer.writeInteger(UDPRequest.Action.scrape.rawValue)
        buffer.writeInteger(transactionID)
        var known: [InfoHash: SwarmCounts] = [:]
        for entry in entries { known[entry.infoHash] = entry.counts }
        for hash in asked {
            let counts = known[hash] ?? SwarmCounts(seeders: 0, leechers: 0, completed: 0)
            buffer.writeInteger(UInt32(clamping: counts.seeders))
            buffer.writeInteger(UInt32(clamping: counts.completed))
            buffer.writeInteger(UInt32(clamping: counts.leechers))
        }
    }

    /// Action 3 with the same failure reason an HTTP client would read.
    public static func writeError(transactionID: UInt32, _ error: ClientError, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UDPRequest.Action.error.rawValue)
        buffer.writeInteger(transactionID)
        buffer.writeString(error.description)
    }

    /// Most peers one reply carries so that it fits a 1,500-byte datagram with its IP and UDP
    /// headers: 200 IPv4 peers (20 + 8 + 20 + 200 × 6 = 1,248 bytes), 74 IPv6 peers
    /// (40 + 8 + 20 + 74 × 18 = 1,400 bytes).
    public static func maxPeers(_ family: AddressFamily) -> Int {
        family == .ipv6 ? 74 : 200
    }
}
