import NIOCore

/// Everything an announce reply says besides the store's result.
public struct AnnounceReplyOptions: Sendable {
    public var interval: Int
    public var minInterval: Int
    /// Compact peers (BEP 23) unless the client asked for the dictionary model.
    public var compact: Bool
    /// With the dictionary model: leave out `peer id` (`no_peer_id=1`).
    public var noPeerID: Bool
    /// BEP 24: the announcer's address as seen by the tracker (written as 4 or 16 bytes), or nil to leave out.
    public var externalIP: PeerEndpoint?

    public init(interval: Int, minInterval: Int, compact: Bool = true, noPeerID: Bool = false,
                externalIP: PeerEndpoint? = nil) {
        self.interval = interval
        self.minInterval = minInterval
        self.compact = compact
        self.noPeerID = noPeerID
        self.externalIP = externalIP
    }
}

/// Writes announce replies directly as bencode, keys in byte order:
/// complete, downloaded, external ip, incomplete, interval, min interval, peers, peers6.
public enum AnnounceResponse {
    public static func write(_ result: AnnounceResult, family: AddressFamily, options: AnnounceReplyOptions, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("d8:complete")
        buffer.writeBencodeInteger(result.counts.seeders)
        buffer.writeStaticString("10:downloaded")
        buffer.writeBencodeInteger(result.counts.completed)
        switch options.externalIP {
        case .v4(let e)?:
            buffer.writeStaticString("11:external ip4:")
            buffer.writeInteger(e.address)
        case .v6(let e)?:
            buffer.writeStaticString("11:external ip16:")
            buffer.writeInteger(e.high)
            buffer.writeInteger(e.low)
        case nil:
            break
        }
        buffer.writeStaticString("10:incomplete")
        buffer.writeBencodeInteger(result.counts.leechers)
        buffer.writeStaticString("8:interval")
        buffer.writeBencodeInteger(options.interval)
        buffer.writeStaticString("12:min interval")
        buffer.writeBencodeInteger(options.minInterval)
        if options.compact {
            // An IPv6 announcer gets its peers in `peers6`, with an empty `peers` for clients that require the key.
            switch family {
            case .ipv4:
                buffer.writeStaticString("5:peers")
                buffer.writeBencodeString(result.compactPeers)
            case .ipv6:
                buffer.writeStaticString("5:peers0:")
                buffer.writeStaticString("6:peers6")
                buffer.writeBencodeString(result.compactPeers)
            }
        } else {
            buffer.writeStaticString("5:peers")
            writeDictionaryPeers(result, family: family, noPeerID: options.noPeerID, into: &buffer)
        }
        buffer.writeStaticString("e")
    }

    /// BEP 3's original model: a list of `{ip, peer id, port}` dictionaries.
    private static func writeDictionaryPeers(_ result: AnnounceResult, family: AddressFamily, noPeerID: Bool, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("l")
        for (i, peer) in result.peers(family: family).enumerated() {
            buffer.writeStaticString("d2:ip")
            buffer.writeBencodeString(peer.addressString)
            if !noPeerID, i < result.peerIDs.count {
                buffer.writeStaticString("7:peer id")
                buffer.writeBencodeString(result.peerIDs[i].bytes)
            }
            buffer.writeStaticString("4:port")
            buffer.writeBencodeInteger(Int(peer.port))
            buffer.writeStaticString("e")
        }
        buffer.writeStaticString("e")
    }
}

/// The one-key reply for any refused request.
public enum FailureResponse {
    public static func write(_ reason: String, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("d14:failure reason")
        buffer.writeBencodeString(reason)
        buffer.writeStaticString("e")
    }
}
