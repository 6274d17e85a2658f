/// One announce as the swarm sees it: the parsed query plus the peer's endpoint
/// (taken from the connection, never trusted from the query unless configured).
public struct AnnounceRequest: Sendable, Equatable {
    public var infoHash: InfoHash
    public var peerID: PeerID
    public var endpoint: PeerEndpoint
    public var uploaded: UInt64
    public var downloaded: UInt64
    /// Bytes still missing; nil when the client did not say (treated as a leecher).
    public var left: UInt64?
    public var event: AnnounceEvent
    /// How many peers to return, already defaulted and capped by the tracker's rules.
    public var numwant: Int
    /// A 32-bit digest of the client's `key` parameter, if it sent one.
    public var key: UInt32?
    /// Whether the reply lists peer ids (the dictionary model without `no_peer_id`).
    public var wantsPeerIDs: Bool
    /// The announcer's rack (`Racks`), 0 for none: stores fill its peers from that rack first.
    public var rack: UInt8

    public init(
        infoHash: InfoHash, peerID: PeerID, endpoint: PeerEndpoint,
        uploaded: UInt64 = 0, downloaded: UInt64 = 0, left: UInt64?, event: AnnounceEvent = .none,
        numwant: Int = 50, key: UInt32? = nil, wantsPeerIDs: Bool = false, rack: UInt8 = 0
    ) {
        self.infoHash = infoHash
        self.peerID = peerID
        self.endpoint = endpoint
        self.uploaded = uploaded
        self.downloaded = downloaded
        self.left = left
        self.event = event
        self.numwant = numwant
        self.key = key
        self.wantsPeerIDs = wantsPeerIDs
        self.rack = rack
    }

    /// A seeder has nothing left to download.
    public var isSeeder: Bool { left == 0 }
}
