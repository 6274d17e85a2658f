import ArgumentParser
import Foundation
import Logging
import TrackerEngine

extension TrackerTUI {
    /// Torrent lifecycle from the command line: deregister, register again, list the archive.
    struct Torrents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the store's torrents, deregister them, register them again, list the archive of deregistered ones.",
            subcommands: [List.self, Deregister.self, Register.self, Archive.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "The torrents of the store (Redis), tab-separated or as JSON: info-hash, name, seeders, leechers, completed, announces, last activity.")

            enum Sort: String, ExpressibleByArgument, CaseIterable { case seeders, leechers, completed, announces, lastActivity = "last-activity", name }

            @Option(help: "Order, largest first (name: A to Z).") var sort: Sort = .seeders
            @Option(help: "How many to list.") var limit = 100
            @Flag(help: "One JSON array, fields named as /stats.json names them.") var json = false
            @OptionGroup var target: AdminTarget

            func run() async throws {
                let now = SystemClock().now()
                let (torrents, shared) = try await target.withRedisStore { store in
                    (try await store.torrents(now: now), (try? await store.sharedCatalog(unless: nil).catalog) ?? SharedCatalog())
                }
                func name(_ info: TorrentInfo) -> String { shared.entries[info.infoHash]?.metainfo.name ?? "" }
                let key: (TorrentInfo) -> Int64
                switch sort {
                case .seeders: key = { Int64($0.counts.seeders) }
                case .leechers: key = { Int64($0.counts.leechers) }
                case .completed: key = { Int64($0.counts.completed) }
                case .announces: key = { Int64(clamping: $0.announces) }
                case .lastActivity: key = { $0.lastActivity.milliseconds }
                case .name: key = { _ in 0 }
                }
                let sorted = torrents.sorted { a, b in
                    if sort == .name { return (name(a), a.infoHash) < (name(b), b.infoHash) }
                    return key(a) != key(b) ? key(a) > key(b) : a.infoHash < b.infoHash
                }.prefix(max(0, limit))
                if json {
                    let items: [[String: Any]] = sorted.map { info in
                        ["info_hash": info.infoHash.hex, "name": name(info).isEmpty ? NSNull() : name(info), "seeders": info.counts.seeders,
                         "leechers": info.counts.leechers, "completed": info.counts.completed, "announces": info.announces,
                         "first_seen": info.firstSeen.seconds, "last_activity": info.lastActivity.seconds]
                    }
                    let data = try JSONSerialization.data(withJSONObject: items, options: [.sortedKeys])
                    print(String(decoding: data, as: UTF8.self))
                    return
                }
                print("info_hash\tname\tseeders\tleechers\tcompleted\tannounces\tlast_activity")
                for info in sorted {
                    print([info.infoHash.hex, name(info), String(info.counts.seeders), String(info.counts.leechers), String(info.counts.completed),
                           String(info.announces), String(info.lastActivity.seconds)].joined(separator: "\t"))
                }
            }
        }

        struct Deregister: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Stop tracking a torrent and keep its history in the archive; closed mode refuses it from then on.")

            @Argument(help: "The torrent's info-hash, 40 hex digits.")
            var infoHash: String

            @OptionGroup var target: AdminTarget

            func run() async throws {
                let hash = try parseInfoHash(infoHash)
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

            @OptionGroup var target: AdminTarget

            func run() async throws {
                let hash = try parseInfoHash(infoHash)
                try await target.withModerator { moderator, _ in try await moderator.reregister(hash) }
                print("\(hash.hex) registered again")
            }
        }

        struct Archive: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List deregistered torrents, the latest first, one tab-separated line each.")

            @Option(help: "How many to list.")
            var limit = 100

            @OptionGroup var target: AdminTarget

            func run() async throws {
                let records = try await target.withModerator { _, store in try await store.archive(limit: max(0, limit)) }
                print("deregistered\tinfo_hash\tregistered\tcompleted\tannounces\tname")
                for record in records {
                    let life = record.lifecycle
                    print([Format.utc(record.deregistered), record.infoHash.hex, record.firstRegistered.map(Format.utc) ?? "-",
                           String(life?.counts.completed ?? 0), String(life?.announces ?? 0), record.name ?? ""].joined(separator: "\t"))
                }
            }
        }
    }
}
