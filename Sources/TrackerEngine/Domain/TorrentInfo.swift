/// A torrent's counts and lifecycle as the tracker saw it. Times are whole seconds.
public struct TorrentInfo: Sendable, Equatable {
    public var infoHash: InfoHash
    public var counts: SwarmCounts
    public var announces: UInt64
    public var firstSeen: TrackerTime
    public var lastActivity: TrackerTime
    public var firstStarted: TrackerTime?
    public var lastStarted: TrackerTime?
    public var firstCompleted: TrackerTime?
    public var lastCompleted: TrackerTime?

    public init(infoHash: InfoHash, counts: SwarmCounts, announces: UInt64, firstSeen: TrackerTime, lastActivity: TrackerTime,
                firstStarted: TrackerTime? = nil, lastStarted: TrackerTime? = nil,
                firstCompleted: TrackerTime? = nil, lastCompleted: TrackerTime? = nil) {
        self.infoHash = infoHash
        self.counts = counts
        self.announces = announces
        self.firstSeen = firstSeen
        self.lastActivity = lastActivity
        self.firstStarted = firstStarted
        self.lastStarted = lastStarted
        self.firstCompleted = firstCompleted
        self.lastCompleted = lastCompleted
    }
}
