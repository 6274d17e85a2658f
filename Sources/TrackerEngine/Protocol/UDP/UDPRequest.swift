/// A UDP tracker request (BEP 15), parsed from one datagram's bytes. Every field is big-endian.
///
/// What cannot be parsed is nil: the datagram gets no reply at all (a source that is not verified
/// must never get back more than it sent). An announce whose fields are wrong (port 0, an event
/// outside 0–3) parses with its failure, answered only once the connection id is verified.
public enum UDPRequest: Sendable, Equatable {
    case connect(transactionID: UInt32)
    case announce(connectionID: UInt64, transactionID: UInt32, Result<UDPAnnounce, ClientError>)
    case scrape(connectionID: UInt64, transactionID: UInt32, infoHashes: [InfoHash])

    /// `connect`'s fixed first field.
    public static let protocolID: UInt64 = 0x417_2710_1980

    public static let connectSize = 16
    /// An announce without BEP 41 options.
    public static let announceSize = 98
    /// Most info_hash answered per scrape: 74 fill a reply of 8 + 74 × 12 bytes, and a request
    /// of 16 + 74 × 20 bytes, both under the smallest MTU a tracker meets.
    public static let maxScrapeHashes = 74

    public enum Action: UInt32, Sendable {
        case connect = 0, announce = 1, scrape = 2, error = 3
    }

    public var transactionID: UInt32 {
        switch self {
        case .connect(let id), .announce(_, let id, _), .scrape(_, let id, _): return id
        }
    }

    /// The request in `datagram`, or nil when it is none (too short, unknown action, wrong
    /// protocol id): no reply.
    public static func parse(_ datagram: UnsafeRawBufferPointer) -> UDPRequest? {
        guard datagram.count >= connectSize else { return nil }
        var reader = BigEndianReader(datagram)
        let connectionID = reader.uint64(), rawAction = reader.uint32(), transactionID = reader.uint32()
        switch Action(rawValue: rawAction) {
        case .connect:
            return connectionID == protocolID ? .connect(transactionID: transactionID) : nil
        case .announce:
            guard datagram.count >= announceSize else { return nil }
            return .announce(connectionID: connectionID, transactionID: transactionID, UDPAnnounce.parse(&reader))
        case .scrape:
            let count = min((datagram.count - connectSize) / 20, maxScrapeHashes)
            guard count > 0 else { return nil }
            let hashes = (0..<count).map { _ in InfoHash(reader.bytes20()) }
            return .scrape(connectionID: connectionID, transactionID: transactionID, infoHashes: hashes)
        case .error, nil:
            return nil
        }
    }
}

/// An announce's fields after the 16-byte header, and its BEP 41 options.
public struct UDPAnnounce: Sendable, Equatable {
    public var query: AnnounceQuery
    /// The IPv4 address the client says it has (0: none). Not trusted: the tracker uses the
    /// datagram's source.
    public var claimedIPv4: UInt32
    /// BEP 41's URLData options, concatenated (a path and query, for the access layer).
    public var urlData: [UInt8]

    /// BEP 15's events: 0 none, 1 completed, 2 started, 3 stopped (not HTTP's order).
    static func event(_ raw: UInt32) -> AnnounceEvent? {
        switch raw {
        case 0: return AnnounceEvent.none
        case 1: return .completed
        case 2: return .started
        case 3: return .stopped
        default: return nil
        }
    }

    /// Reads the 82 bytes after the header, then the options up to the datagram's end.
    static func parse(_ reader: inout BigEndianReader) -> Result<UDPAnnounce, ClientError> {
        let infoHash = InfoHash(reader.bytes20()), peerID = PeerID(reader.bytes20())
        let downloaded = reader.uint64(), left = reader.uint64(), uploaded = reader.uint64()
        let rawEvent = reader.uint32(), ip = reader.uint32(), key = reader.uint32()
        let numwant = Int32(bitPattern: reader.uint32()), port = reader.uint16()
        guard let event = event(rawEvent) else { return .failure(.invalidEvent) }
        guard port > 0 else { return .failure(.invalidPort) }
        var query = AnnounceQuery(infoHash: infoHash, peerID: peerID, port: port)
        query.downloaded = downloaded
        query.left = left
        query.uploaded = uploaded
        query.event = event
        query.key = key
        query.numwant = numwant < 0 ? nil : Int(numwant)
        return .success(UDPAnnounce(query: query, claimedIPv4: ip, urlData: UDPOptions.urlData(reader.rest)))
    }
}
