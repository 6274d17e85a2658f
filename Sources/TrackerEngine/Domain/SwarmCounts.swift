/// What a scrape reports for one torrent: `complete`, `incomplete`, `downloaded` on the wire.
public struct SwarmCounts: Sendable, Equatable, CustomStringConvertible {
    public var seeders: Int
    public var leechers: Int
    /// Completed downloads ever registered (`downloaded` in a scrape).
    public var completed: Int

    public init(seeders: Int = 0, leechers: Int = 0, completed: Int = 0) {
        self.seeders = seeders
        self.leechers = leechers
        self.completed = completed
    }

    public var peers: Int { seeders + leechers }

    public var description: String { "seeders \(seeders), leechers \(leechers), completed \(completed)" }
}
