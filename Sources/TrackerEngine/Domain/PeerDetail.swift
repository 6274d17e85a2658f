/// Everything the tracker knows about one peer of a swarm (for the dashboard and moderation).
public struct PeerDetail: Sendable, Equatable {
    public var endpoint: PeerEndpoint
    public var peerID: PeerID
    public var isSeeder: Bool
    public var uploaded: UInt64
    public var downloaded: UInt64
    /// nil when the client never said.
    public var left: UInt64?
    public var lastEvent: AnnounceEvent
    public var key: UInt32?
    public var firstSeen: TrackerTime
    public var lastSeen: TrackerTime
    /// The rack its address is in, by name: filled by the dashboard from the racks it knows.
    public var rack: String?

    public init(endpoint: PeerEndpoint, peerID: PeerID, isSeeder: Bool, uploaded: UInt64, downloaded: UInt64,
                left: UInt64?, lastEvent: AnnounceEvent, key: UInt32?, firstSeen: TrackerTime, lastSeen: TrackerTime) {
        self.endpoint = endpoint
        self.peerID = peerID
        self.isSeeder = isSeeder
        self.uploaded = uploaded
        self.downloaded = downloaded
        self.left = left
        self.lastEvent = lastEvent
        self.key = key
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}
