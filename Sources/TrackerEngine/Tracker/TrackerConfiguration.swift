/// Everything `trackertui serve` can be told, with the defaults a home server wants.
public struct TrackerConfiguration: Sendable {
    public enum StoreKind: String, Sendable, CaseIterable {
        case redis, memory
    }

    /// Which torrents are tracked: any (the blacklist aside), or only those of the catalog and
    /// the whitelist.
    public enum AccessMode: String, Sendable, CaseIterable {
        case open, closed
    }

    public var store: StoreKind = .redis
    /// The Redis server to use; nil = a managed redis-server in the data directory.
    public var redis: RedisEndpoint?
    /// Every Redis key starts with this, so several trackers can share one server apart.
    public var redisPrefix = "tt"
    /// Store threads, each with its own Redis connection. One keeps up with a single-threaded
    /// redis-server (its share of an announce is a third of the server's); more only split the
    /// pipelines into smaller batches, which costs both sides more per announce.
    public var redisThreads = 1
    /// The managed redis-server's `maxmemory` in bytes (noeviction); nil = a quarter of the machine's memory.
    public var redisMaxMemory: Int64?
    /// Where HTTP is served; empty: no HTTP.
    public var http: [ListenAddress] = ListenAddress.defaults
    /// Whether `http` are the defaults: a default address that cannot be bound (no IPv6 here) is skipped.
    public var httpIsDefault = true
    /// Where the UDP tracker (BEP 15) listens; empty: no UDP.
    public var udp: [ListenAddress] = ListenAddress.defaults
    /// Whether `udp` are the defaults (an IPv6 one that cannot be bound is skipped).
    public var udpIsDefault = true
    public var policy = AnnouncePolicy()
    /// Seconds without an announce after which a peer is dropped; nil = 2 × interval + 60.
    public var peerTimeout: Int64?
    /// Seconds between expiry sweeps.
    public var sweepInterval: Int64 = 30
    public var fullScrapeEnabled = true
    /// Seconds between two full scrapes from one address.
    public var fullScrapeInterval: Int64 = 60
    public var maxScrapeHashes = 64
    public var sendsExternalIP = true
    public var httpLimits = HTTPServerLimits()
    /// Swarms held at most, and peers per client in a swarm.
    public var swarmLimits = SwarmLimits()
    /// Reverse proxies that may name the client (X-Forwarded-For, X-Real-IP); also exempt from
    /// the per-address connection limit.
    public var trustedProxies: [AddressRange] = []
    public var dataDirectory: String?
    /// Directories of .torrent files (searched recursively): names and sizes for the dashboard,
    /// and in closed mode the torrents tracked.
    public var torrentDirectories: [String] = []
    public var mode = AccessMode.open
    /// A whitelist in opentracker's format (one 40-hex info-hash a line), read at start and on
    /// SIGHUP: in closed mode these torrents are tracked too.
    public var whitelistFile: String?
    /// A blacklist in opentracker's format, applied through the moderation (persisted, shared)
    /// at start and on SIGHUP.
    public var blacklistFile: String?
    /// Racks (`--rack`), and a file of more (`--racks`), read again on SIGHUP.
    public var racks: [RackDefinition] = []
    public var racksFile: String?
    /// Listeners for the web pages alone; when set, the tracker's listeners do not serve them.
    public var admin: [ListenAddress] = []
    /// Who may see `/stats`, `/stats.json` and `/metrics` (others get 403); empty: nobody.
    public var statsAllow: [AddressRange] = [AddressRange("127.0.0.0/8")!, AddressRange("::1")!]
    /// Event-loop threads; nil = one per core.
    public var threads: Int?

    public init() {}

    public var effectivePeerTimeout: Int64 {
        peerTimeout ?? Int64(policy.interval) * 2 + 60
    }
}
