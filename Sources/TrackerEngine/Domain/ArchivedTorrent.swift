/// A deregistered torrent as the archive keeps it: its name and registration when a catalog
/// knew them, when it was deregistered, and its swarm's last counts and lifecycle when the store
/// had one (nil: it was never announced there, or its swarm was long forgotten).
public struct ArchivedTorrent: Sendable, Equatable {
    public var infoHash: InfoHash
    public var name: String?
    public var registered: TrackerTime?
    public var deregistered: TrackerTime
    public var lifecycle: TorrentInfo?

    public init(infoHash: InfoHash, name: String? = nil, registered: TrackerTime? = nil, deregistered: TrackerTime,
                lifecycle: TorrentInfo? = nil) {
        self.infoHash = infoHash
        self.name = name
        self.registered = registered
        self.deregistered = deregistered
        self.lifecycle = lifecycle
    }

    /// Registered: first held by a catalog or first announced, whichever came first.
    public var firstRegistered: TrackerTime? {
        [registered, lifecycle?.firstSeen].compactMap { $0 }.min()
    }
}
