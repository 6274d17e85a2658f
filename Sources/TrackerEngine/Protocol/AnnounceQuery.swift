/// An announce's query string, parsed from raw bytes (BEP 3, BEP 7, BEP 23).
/// Holds only what the client said; the tracker adds the endpoint and applies its rules.
public struct AnnounceQuery: Sendable, Equatable {
    public var infoHash: InfoHash
    public var peerID: PeerID
    public var port: UInt16
    public var uploaded: UInt64 = 0
    public var downloaded: UInt64 = 0
    public var left: UInt64?
    public var event: AnnounceEvent = .none
    /// nil when absent or negative: the tracker's default applies.
    public var numwant: Int?
    /// Compact peers unless the client sent `compact=0`.
    public var compact = true
    public var noPeerID = false
    public var key: UInt32?

    public init(infoHash: InfoHash, peerID: PeerID, port: UInt16) {
        self.infoHash = infoHash
        self.peerID = peerID
        self.port = port
    }
}

extension AnnounceQuery {
    /// Parses the bytes after `?`. Unknown parameters are ignored; every invalid value throws
    /// a `ClientError` naming the parameter. Parameter names are matched as sent (not decoded).
    public static func parse(_ query: UnsafeRawBufferPointer) throws(ClientError) -> AnnounceQuery {
        var infoHash: Bytes20?
        var peerID: Bytes20?
        var port: UInt64?
        var result = AnnounceQuery(infoHash: InfoHash(Bytes20(a: 0, b: 0, c: 0)), peerID: PeerID(Bytes20(a: 0, b: 0, c: 0)), port: 0)
        var scanner = QueryScanner(query)
        while let pair = scanner.next() {
            let name = pair.name, value = pair.value
            if query.matches(name, "info_hash") {
                if infoHash != nil { throw .duplicateParameter("info_hash") }
                infoHash = try QueryValue.bytes20(query, value, name: "info_hash")
            } else if query.matches(name, "peer_id") {
                peerID = try QueryValue.bytes20(query, value, name: "peer_id")
            } else if query.matches(name, "port") {
                port = try QueryValue.unsigned(query, value, name: "port")
            } else if query.matches(name, "uploaded") {
                result.uploaded = try QueryValue.unsigned(query, value, name: "uploaded")
            } else if query.matches(name, "downloaded") {
                result.downloaded = try QueryValue.unsigned(query, value, name: "downloaded")
            } else if query.matches(name, "left") {
                result.left = try QueryValue.unsigned(query, value, name: "left")
            } else if query.matches(name, "event") {
                result.event = try parseEvent(query, value)
            } else if query.matches(name, "numwant") {
                let n = try QueryValue.signed(query, value, name: "numwant")
                result.numwant = n < 0 ? nil : Int(clamping: n)
            } else if query.matches(name, "compact") {
                result.compact = !QueryValue.equals(query, value, "0")
            } else if query.matches(name, "no_peer_id") {
                result.noPeerID = !QueryValue.equals(query, value, "0")
            } else if query.matches(name, "key") {
                result.key = try QueryValue.digest32(query, value, name: "key")
            }
        }
        guard let infoHash else { throw .missingParameter("info_hash") }
        guard let peerID else { throw .missingParameter("peer_id") }
        guard let port else { throw .missingParameter("port") }
        guard port > 0, port <= 65535 else { throw .invalidPort }
        result.infoHash = InfoHash(infoHash)
        result.peerID = PeerID(peerID)
        result.port = UInt16(port)
        return result
    }

    private static func parseEvent(_ query: UnsafeRawBufferPointer, _ value: Range<Int>) throws(ClientError) -> AnnounceEvent {
        if value.isEmpty { return .none }
        if QueryValue.equals(query, value, "started") { return .started }
        if QueryValue.equals(query, value, "completed") { return .completed }
        if QueryValue.equals(query, value, "stopped") { return .stopped }
        if QueryValue.equals(query, value, "paused") { return .paused }
        if QueryValue.equals(query, value, "empty") { return .none }
        throw .invalidEvent
    }

    /// Convenience for tests and tools: parses a query given as bytes.
    public static func parse(_ query: some Collection<UInt8>) throws(ClientError) -> AnnounceQuery {
        let bytes = Array(query)
        do {
            return try bytes.withUnsafeBytes { raw in try parse(raw) }
        } catch let error as ClientError {
            throw error
        } catch {
            throw .internalError
        }
    }
}
