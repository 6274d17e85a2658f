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
                abstract: "The store's torrents, tab-separated or as JSON: info-hash, name, seeders, leechers, completed, announces, last activity.")

            enum Sort: String, ExpressibleByArgument, CaseIterable { case seeders, leechers, completed, announces, lastActivity = "last-activity", name }

            @Option(help: "Order, largest first (name: A to Z).") var sort: Sort = .seeders
            @Option(help: "How many to list.") var limit = 100
            @Flag(help: "One JSON array, fields named as /stats.json names them.") var json = false
            @OptionGroup var target: AdminTarget

            func run() async throws {
                let rows = target.store == .redis ? try await fromRedis() : try fromPages()
                if json {
                    let items: [[String: Any]] = rows.map { row in
                        ["info_hash": row.infoHash, "name": row.name ?? NSNull(), "seeders": row.seeders, "leechers": row.leechers,
                         "completed": row.completed, "announces": row.announces, "first_seen": row.firstSeen, "last_activity": row.lastActivity]
                    }
                    let data = try JSONSerialization.data(withJSONObject: items, options: [.sortedKeys])
                    print(String(decoding: data, as: UTF8.self))
                    return
                }
                print("info_hash\tname\tseeders\tleechers\tcompleted\tannounces\tlast_activity")
                for row in rows {
                    print([row.infoHash, row.name ?? "", String(row.seeders), String(row.leechers), String(row.completed),
                           String(row.announces), String(row.lastActivity)].joined(separator: "\t"))
                }
            }

            struct Row {
                var infoHash: String
                var name: String?
                var seeders, leechers, completed: Int
                var announces: UInt64
                var firstSeen, lastActivity: Int64
            }

            /// The store's torrents, sorted here.
            private func fromRedis() async throws -> [Row] {
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
                return sorted.map { info in
                    Row(infoHash: info.infoHash.hex, name: name(info).isEmpty ? nil : name(info), seeders: info.counts.seeders,
                        leechers: info.counts.leechers, completed: info.counts.completed, announces: info.announces,
                        firstSeen: info.firstSeen.seconds, lastActivity: info.lastActivity.seconds)
                }
            }

            /// The running tracker's `/stats.json`, sorted there, a page of at most 1,000 at a time.
            private func fromPages() throws -> [Row] {
                let client = try target.pagesClient()
                let order = sort == .name ? "asc" : "desc"
                let by = sort == .lastActivity ? "last_activity" : sort.rawValue
                var rows: [Row] = []
                while rows.count < limit {
                    let wanted = min(1000, limit - rows.count)
                    let page = try client.json("/stats.json?sort=\(by)&order=\(order)&offset=\(rows.count)&limit=\(wanted)&fresh=1")
                    guard let items = (page?["torrents"] as? [String: Any])?["items"] as? [[String: Any]] else {
                        throw PagesClient.Failure(description: "\(client.address): /stats.json without torrents")
                    }
                    rows += items.compactMap(Self.row)
                    if items.count < wanted { break }
                }
                return rows
            }

            /// One item of `/stats.json`'s torrents; nil when a field is missing.
            static func row(_ item: [String: Any]) -> Row? {
                guard let hash = item["info_hash"] as? String, let seeders = item["seeders"] as? Int, let leechers = item["leechers"] as? Int,
                      let completed = item["completed"] as? Int, let announces = item["announces"] as? Int,
                      let firstSeen = item["first_seen"] as? Int, let lastActivity = item["last_activity"] as? Int else { return nil }
                return Row(infoHash: hash, name: item["name"] as? String, seeders: seeders, leechers: leechers, completed: completed,
                           announces: UInt64(max(0, announces)), firstSeen: Int64(firstSeen), lastActivity: Int64(lastActivity))
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
