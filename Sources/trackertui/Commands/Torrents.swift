import ArgumentParser
import Foundation
import Logging
import TrackerEngine

extension TrackerTUI {
    /// Torrent lifecycle from the command line: deregister, register again, list the archive.
    struct Torrents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deregister torrents, register them again, and list the archive of deregistered ones.",
            subcommands: [Deregister.self, Register.self, Archive.self])

        /// Where the tracker keeps its lists and archive: the options a running tracker was given.
        struct Target: ParsableArguments {
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

        struct Deregister: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Stop tracking a torrent and keep its history in the archive; closed mode refuses it from then on.")

            @Argument(help: "The torrent's info-hash, 40 hex digits.")
            var infoHash: String

            @OptionGroup var target: Target

            func run() async throws {
                guard let hash = InfoHash(hex: infoHash) else { throw ValidationError("\(infoHash): expected 40 hex digits") }
                try await target.withModerator { moderator, _ in
                    if target.store == .memory {
                        try moderator.backend.setDeregistered(hash, at: SystemClock().now())
                        print("\(hash.hex) deregistered; the running tracker archives its swarm when it reads \(target.directory)/deregistered")
                    } else {
                        let record = try await moderator.deregister(hash)
                        print("\(hash.hex) deregistered; archived \(record.name.map { "\"\($0)\" " } ?? "")with \(record.lifecycle?.counts.completed ?? 0) completed")
                    }
                }
            }
        }

        struct Register: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Lift a torrent's deregistration (closed mode tracks it again if a catalog or the whitelist has it).")

            @Argument(help: "The torrent's info-hash, 40 hex digits.")
            var infoHash: String

            @OptionGroup var target: Target

            func run() async throws {
                guard let hash = InfoHash(hex: infoHash) else { throw ValidationError("\(infoHash): expected 40 hex digits") }
                try await target.withModerator { moderator, _ in try await moderator.reregister(hash) }
                print("\(hash.hex) registered again")
            }
        }

        struct Archive: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List deregistered torrents, the latest first, one tab-separated line each.")

            @Option(help: "How many to list.")
            var limit = 100

            @OptionGroup var target: Target

            func run() async throws {
                let records = try await target.withModerator { _, store in try await store.archive(limit: max(0, limit)) }
                print("deregistered\tinfo_hash\tregistered\tcompleted\tannounces\tname")
                for record in records {
                    let life = record.lifecycle
                    print([ArchiveView.date(record.deregistered), record.infoHash.hex, record.firstRegistered.map(ArchiveView.date) ?? "-",
                           String(life?.counts.completed ?? 0), String(life?.announces ?? 0), record.name ?? ""].joined(separator: "\t"))
                }
            }
        }
    }
}
