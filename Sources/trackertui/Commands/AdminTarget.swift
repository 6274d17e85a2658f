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

    func validate() throws {
        if let redis, RedisEndpoint(url: redis) == nil {
            throw ValidationError("--redis \(redis): expected redis://[:password@]host:port/db or unix:///path/to/socket?db=N")
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

    /// The store, for commands that read swarms: Redis only (the memory store's swarms live in
    /// the tracker's process; its pages, `/stats.json`, show them).
    func withRedisStore<T>(_ body: (RedisSwarmStore) async throws -> T) async throws -> T {
        guard store == .redis else {
            throw ValidationError("the memory store's swarms live in the tracker's process: ask its /stats.json, or use --store redis")
        }
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
