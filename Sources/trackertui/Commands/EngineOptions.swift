import ArgumentParser
import Foundation
import Logging
import TrackerEngine

/// The engine's options, shared by every mode that runs an engine.
struct EngineOptions: ParsableArguments {
    @Option(help: "Where swarms live: redis (persistent, shared by several trackers) or memory (this process only).")
    var store: StoreChoice = .redis

    @Option(help: ArgumentHelp(
        "The Redis server: redis://[:password@]host:port/db or unix:///path/to/socket?db=N.",
        discussion: "Default: a private redis-server started and stopped by trackertui, with its socket and append-only file in the data directory."))
    var redis: String?

    @Option(help: "Prefix of every Redis key, to keep several trackers apart on one server.")
    var redisPrefix = "tt"

    @Option(help: "Redis store threads, each with its own connection, for listings, sweeps, moderation and tools (each HTTP worker has its own connection for announces and scrapes).")
    var redisThreads = 1

    @Option(name: .customLong("redis-maxmemory"), help: ArgumentHelp(
        "Memory bound of the managed redis-server, e.g. 512mb or 2gb (noeviction: a full Redis refuses new peers with a clear reason).",
        discussion: "Default: a quarter of the machine's memory. A Redis named with --redis keeps its own setting.", valueName: "size"))
    var redisMaxMemory: String?

    @Option(name: .customLong("http"), help: ArgumentHelp(
        "HOST:PORT to serve HTTP announces and scrapes on; repeatable. IPv6 hosts in brackets.",
        discussion: "Default: 0.0.0.0:6969 and [::]:6969.", valueName: "host:port"))
    var http: [String] = []

    @Option(name: .customLong("udp"), help: ArgumentHelp(
        "HOST:PORT to serve the UDP tracker (BEP 15) on; repeatable. IPv6 hosts in brackets.",
        discussion: "Default: 0.0.0.0:6969 and [::]:6969 when neither --http nor --udp is given; none when only --http is.",
        valueName: "host:port"))
    var udp: [String] = []

    @Flag(name: .customLong("no-udp"), help: "Serve no UDP tracker.")
    var noUDP = false

    @Option(help: "Seconds between a client's regular announces.")
    var interval: Int = 1800

    @Option(help: "Seconds a client must wait at least between announces.")
    var minInterval: Int = 300

    @Option(help: "Peers returned when the client does not say how many.")
    var numwantDefault: Int = 50

    @Option(help: "Most peers returned to one announce.")
    var numwantMax: Int = 200

    @Option(help: "Seconds without an announce after which a peer is dropped. Default: 2 × interval + 60.")
    var peerTimeout: Int?

    @Option(help: "Answer /scrape without info_hash with every torrent: on or off.")
    var fullScrape: Toggle = .on

    @Option(help: "Seconds between two full scrapes from one address.")
    var fullScrapeInterval: Int = 60

    @Option(help: "Most simultaneous HTTP connections.")
    var maxConnections: Int = 10_000

    @Option(help: "Most torrents tracked at once; an announce that would start one more gets \"tracker is full\".")
    var maxTorrents: Int = 1_000_000

    @Option(name: .customLong("max-peers-per-ip"),
            help: "Most peers one client (an IPv4 address or an IPv6 /64) may have in one torrent, whatever ports it announces.")
    var maxPeersPerIP: Int = 256

    @Option(help: "Seconds before an idle HTTP connection is closed.")
    var idleTimeout: Int = 30

    @Option(help: "Seconds a request head may take to arrive whole, however slowly its bytes trickle in.")
    var headTimeout: Int = 10

    @Option(name: .customLong("max-connections-per-ip"),
            help: "Most simultaneous HTTP connections from one client: an IPv4 address or an IPv6 /64. Loopback and trusted proxies are exempt.")
    var maxConnectionsPerIP: Int = 512

    @Option(name: .customLong("trusted-proxy"), help: ArgumentHelp(
        "CIDR of a reverse proxy whose X-Forwarded-For / X-Real-IP names the client; repeatable.",
        discussion: "From any other address those headers are ignored.", valueName: "cidr"))
    var trustedProxies: [String] = []

    @Option(help: "Event-loop threads. Default: one per core.")
    var threads: Int?

    @OptionGroup var torrentsAndPages: TorrentAndPageOptions

    @Option(help: ArgumentHelp("A TOML file of options: long option names as keys (max-torrents = 1000, http = [\"0.0.0.0:6969\"], no-udp = true). Command-line flags win over TRACKERTUI_<OPTION> variables, which win over the file.",
                               valueName: "file"))
    var config: String?

    @Option(help: "Directory for the tracker's files. Default: $XDG_DATA_HOME/trackertui or ~/.local/share/trackertui.")
    var dataDir: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    enum StoreChoice: String, ExpressibleByArgument, CaseIterable {
        case redis, memory
    }

    enum Toggle: String, ExpressibleByArgument, CaseIterable {
        case on, off
    }

    mutating func validate() throws {
        for text in http where ListenAddress(text) == nil {
            throw ValidationError("--http \(text): expected HOST:PORT, e.g. 0.0.0.0:6969 or [::]:6969")
        }
        for text in udp where ListenAddress(text) == nil {
            throw ValidationError("--udp \(text): expected HOST:PORT, e.g. 0.0.0.0:6969 or [::]:6969")
        }
        if noUDP, !udp.isEmpty { throw ValidationError("--no-udp and --udp contradict each other") }
        guard interval > 0, minInterval >= 0, minInterval <= interval else {
            throw ValidationError("--interval must be positive and --min-interval between 0 and --interval")
        }
        guard numwantDefault >= 0, numwantMax >= 1, numwantDefault <= numwantMax else {
            throw ValidationError("--numwant-default must be between 0 and --numwant-max (at least 1)")
        }
        if let peerTimeout, peerTimeout <= interval {
            throw ValidationError("--peer-timeout must be longer than --interval, or peers vanish between announces")
        }
        guard maxConnections > 0, idleTimeout > 0, headTimeout > 0, maxConnectionsPerIP > 0, fullScrapeInterval >= 0 else {
            throw ValidationError("--max-connections, --max-connections-per-ip, --idle-timeout and --head-timeout must be positive")
        }
        guard maxTorrents > 0, (1...65_535).contains(maxPeersPerIP) else {
            throw ValidationError("--max-torrents must be positive and --max-peers-per-ip between 1 and 65535")
        }
        for text in trustedProxies where AddressRange(text) == nil {
            throw ValidationError("--trusted-proxy \(text): expected an address or CIDR range, e.g. 10.0.0.0/8 or 2001:db8::/32")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        guard (1...64).contains(redisThreads) else { throw ValidationError("--redis-threads must be between 1 and 64") }
        if let redis, RedisEndpoint(url: redis) == nil {
            throw ValidationError("--redis \(redis): expected redis://[:password@]host:port/db or unix:///path/to/socket?db=N")
        }
        if redis != nil, store == .memory { throw ValidationError("--redis needs --store redis") }
        if let redisMaxMemory, Self.bytes(redisMaxMemory) == nil {
            throw ValidationError("--redis-maxmemory \(redisMaxMemory): expected a size such as 512mb or 2gb (at least 1mb)")
        }
        guard !redisPrefix.isEmpty, !redisPrefix.contains(where: { $0 == "{" || $0 == "}" || $0.isWhitespace }) else {
            throw ValidationError("--redis-prefix must be non-empty, without braces or spaces")
        }
    }

    /// `512mb`, `2gb`, `65536kb` or plain bytes; nil for anything else or under 1 MiB.
    static func bytes(_ text: String) -> Int64? {
        let lower = text.lowercased()
        let units: [(String, Int64)] = [("gb", 1 << 30), ("mb", 1 << 20), ("kb", 1 << 10), ("", 1)]
        for (suffix, scale) in units where lower.hasSuffix(suffix) {
            guard let value = Int64(lower.dropLast(suffix.count)), value > 0 else { return nil }
            let (bytes, overflow) = value.multipliedReportingOverflow(by: scale)
            return overflow || bytes < 1 << 20 ? nil : bytes
        }
        return nil
    }

    var resolvedDataDirectory: String { dataDir ?? Self.defaultDataDirectory }

    /// $XDG_DATA_HOME/trackertui, else ~/.local/share/trackertui.
    static var defaultDataDirectory: String {
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/trackertui" }
        return (env["HOME"] ?? ".") + "/.local/share/trackertui"
    }

    func configuration() -> TrackerConfiguration {
        var config = TrackerConfiguration()
        config.store = store == .memory ? .memory : .redis
        config.redis = redis.flatMap(RedisEndpoint.init(url:))
        config.redisPrefix = redisPrefix
        config.redisThreads = redisThreads
        config.redisMaxMemory = redisMaxMemory.flatMap(Self.bytes)
        // Neither --http nor --udp: both on the defaults. Either one given: only what is given.
        if !http.isEmpty || !udp.isEmpty {
            config.http = http.compactMap(ListenAddress.init)
            config.httpIsDefault = false
            config.udp = udp.compactMap(ListenAddress.init)
            config.udpIsDefault = false
        }
        if noUDP { config.udp = [] }
        config.policy = AnnouncePolicy(interval: interval, minInterval: minInterval,
                                       numwantDefault: numwantDefault, numwantMax: numwantMax)
        config.peerTimeout = peerTimeout.map(Int64.init)
        config.fullScrapeEnabled = fullScrape == .on
        config.fullScrapeInterval = Int64(fullScrapeInterval)
        config.httpLimits.maxConnections = maxConnections
        config.httpLimits.idleTimeoutSeconds = Int64(idleTimeout)
        config.httpLimits.headTimeoutSeconds = Int64(headTimeout)
        config.httpLimits.maxConnectionsPerAddress = maxConnectionsPerIP
        config.trustedProxies = trustedProxies.compactMap(AddressRange.init)
        config.swarmLimits = SwarmLimits(maxTorrents: maxTorrents, maxPeersPerClient: maxPeersPerIP)
        config.threads = threads
        config.dataDirectory = resolvedDataDirectory
        torrentsAndPages.apply(to: &config)
        return config
    }
}

extension EngineOptions {
    static func createDataDirectory(_ directory: String?) throws {
        guard let directory else { return }
        do {
            try PrivateFiles.makeDirectory(directory)
        } catch {
            throw ValidationError("cannot create the data directory \(directory): \(error)")
        }
    }

    /// The engine, its managed redis-server started; a missing redis-server is a clear usage error.
    func makeTracker(_ config: TrackerConfiguration, logger: Logger) throws -> TrackerService {
        let tracker: TrackerService
        do {
            tracker = try TrackerService(configuration: config, logger: logger)
        } catch let error as ManagedRedis.StartError {
            throw ValidationError(error.description)
        }
        return tracker
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

extension TrackerConfiguration.AccessMode: ExpressibleByArgument {}
