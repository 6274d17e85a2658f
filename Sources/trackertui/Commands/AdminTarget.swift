import ArgumentParser
import Foundation
import Logging
import TrackerEngine

/// Where a running tracker keeps its lists, archive and swarms: the options it was given. The
/// admin commands (`torrents`, `blacklist`, `ban`, `peers`) act through these.
struct AdminTarget: ParsableArguments {
    @Option(help: "The tracker's store: redis or memory (then the running tracker reads the lists from its data directory).")
    var store: EngineOptions.StoreChoice = .redis

    @Option(help: "The tracker's --redis. Default: the managed redis-server of the tracker running with --data-dir.")
    var redis: String?

    @Option(help: "The tracker's --redis-prefix.")
    var redisPrefix = "tt"

    @Option(help: "The tracker's --data-dir.")
    var dataDir: String?

    @Option(help: "With the memory store: where the tracker serves /stats.json (HOST:PORT). Default: what it noted in its data directory.")
    var pages: String?

    func validate() throws {
        if let redis, RedisEndpoint(url: redis) == nil {
            throw ValidationError("--redis \(redis): expected redis://[:password@]host:port/db or unix:///path/to/socket?db=N")
        }
        if let pages, ListenAddress(pages) == nil {
            throw ValidationError("--pages \(pages): expected HOST:PORT ([::1]:6969 for IPv6)")
        }
    }

    var directory: String { dataDir ?? EngineOptions.defaultDataDirectory }

    /// The Redis the tracker uses, checked to answer.
    func redisEndpoint() throws -> RedisEndpoint {
        let endpoint = redis.flatMap(RedisEndpoint.init(url:)) ?? RedisEndpoint(address: .unix(path: directory + "/redis.sock"))
        do {
            _ = try RedisConnection(endpoint, timeout: 2)
        } catch {
            throw ValidationError("no Redis answers at \(endpoint) (\(error)): start the tracker, or name its Redis with --redis")
        }
        return endpoint
    }

    /// The running tracker's pages, for commands that read the memory store's swarms (they live
    /// in its process): `--pages`, or where the tracker noted it serves them.
    func pagesClient() throws -> PagesClient {
        guard let address = pages.flatMap(ListenAddress.init) ?? PagesAddressFile.read(directory: directory) else {
            throw ValidationError("no tracker noted its pages in \(PagesAddressFile.path(in: directory)): name its --data-dir, or its listener with --pages HOST:PORT")
        }
        return PagesClient(address: address)
    }

    /// The Redis store, for commands that read swarms there.
    func withRedisStore<T>(_ body: (RedisSwarmStore) async throws -> T) async throws -> T {
        let store = RedisSwarmStore(endpoint: try redisEndpoint(), prefix: redisPrefix, threads: 1)
        defer { store.shutdown() }
        return try await body(store)
    }

    /// A moderator on the tracker's lists, and the store, for one command; `body` runs with them.
    func withModerator<T>(_ body: (Moderator, any SwarmStore) async throws -> T) async throws -> T {
        let logger = Logger(label: "trackertui")
        switch store {
        case .memory:
            // The running tracker holds the swarms: it archives them when it reads the list (within 2 s).
            let store = MemorySwarmStore(shardCount: 1, archivePath: directory + "/archive", logger: logger)
            return try await body(Moderator(backend: FileModerationBackend(directory: directory, logger: logger), store: store, logger: logger), store)
        case .redis:
            let endpoint = try redisEndpoint()
            let store = RedisSwarmStore(endpoint: endpoint, prefix: redisPrefix, threads: 1)
            defer { store.shutdown() }
            let moderator = Moderator(backend: RedisModerationBackend(endpoint: endpoint, prefix: redisPrefix, logger: logger), store: store, logger: logger)
            let shared = (try? await store.sharedCatalog(unless: nil).catalog) ?? SharedCatalog()
            moderator.describeTorrents { hash in shared.entries[hash].map { ($0.metainfo.name, $0.registered) } }
            return try await body(moderator, store)
        }
    }
}
