import ArgumentParser
import Foundation
import TrackerEngine

extension TrackerTUI {
    /// `trackertui blacklist add|remove|list`: the dashboard's `b` and `u` for scripts.
    struct Blacklist: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Refuse torrents (their swarms are purged), lift that, or list them; running trackers follow at once.",
            subcommands: [Add.self, Remove.self, List.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Blacklist torrents: refused from now on, their swarms purged.")
            @Argument(help: "Info-hashes, 40 hex digits each.") var infoHashes: [String]
            @OptionGroup var target: AdminTarget

            func run() async throws {
                let hashes = try infoHashes.map(parseInfoHash)
                try await target.withModerator { moderator, _ in
                    for hash in hashes { try await moderator.blacklist(hash) }
                }
                for hash in hashes { print("\(hash.hex) blacklisted") }
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Lift torrents' blacklisting.")
            @Argument(help: "Info-hashes, 40 hex digits each.") var infoHashes: [String]
            @OptionGroup var target: AdminTarget

            func run() async throws {
                let hashes = try infoHashes.map(parseInfoHash)
                try await target.withModerator { moderator, _ in
                    for hash in hashes { try await moderator.unblacklist(hash) }
                }
                for hash in hashes { print("\(hash.hex) no longer blacklisted") }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Blacklisted info-hashes, one a line (opentracker's format).")
            @OptionGroup var target: AdminTarget

            func run() async throws {
                let state = try await target.withModerator { moderator, _ in try moderator.backend.load(now: SystemClock().now()) }
                for hash in state.blacklist.sorted() { print(hash.hex) }
            }
        }
    }

    /// `trackertui ban add|remove|list`: the dashboard's `K` for scripts.
    struct Ban: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ban addresses or CIDR ranges for a while, lift bans, or list them; running trackers follow at once.",
            subcommands: [Add.self, Remove.self, List.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Refuse every request from an address or range.")
            @Argument(help: "An address or CIDR range: 203.0.113.7, 203.0.113.0/24, 2001:db8::/64.") var range: String
            @Option(name: .customLong("for"), help: "How long: seconds, or 30m, 12h, 7d; `forever`.") var duration = "1h"
            @OptionGroup var target: AdminTarget

            func run() async throws {
                guard let parsed = AddressRange(range) else { throw ValidationError("\(range): expected an address or CIDR range") }
                guard let seconds = Self.seconds(duration) else { throw ValidationError("--for \(duration): expected seconds, 30m, 12h, 7d or forever") }
                try await target.withModerator { moderator, _ in try await moderator.ban(parsed, seconds: seconds) }
                print("\(parsed) banned " + (seconds == .max ? "for good" : "for \(duration)"))
            }

            /// `90`, `30m`, `12h`, `7d`, `forever` (Int64.max).
            static func seconds(_ text: String) -> Int64? {
                if text == "forever" { return .max }
                let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
                let (digits, unit) = text.last.flatMap({ units[$0] }).map { (text.dropLast(), $0) } ?? (Substring(text), 1)
                guard let value = Int64(digits), value > 0 else { return nil }
                let (product, overflow) = value.multipliedReportingOverflow(by: unit)
                return overflow ? nil : product
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Lift a ban.")
            @Argument(help: "The banned address or CIDR range, as listed.") var range: String
            @OptionGroup var target: AdminTarget

            func run() async throws {
                guard let parsed = AddressRange(range) else { throw ValidationError("\(range): expected an address or CIDR range") }
                try await target.withModerator { moderator, _ in try await moderator.unban(parsed) }
                print("\(parsed) no longer banned")
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Bans in force: range and until (unix seconds, or forever), one a line.")
            @OptionGroup var target: AdminTarget

            func run() async throws {
                let state = try await target.withModerator { moderator, _ in try moderator.backend.load(now: SystemClock().now()) }
                for (range, until) in state.bans.sorted(by: { ($0.value, $0.key.description) < ($1.value, $1.key.description) }) {
                    print("\(range) \(until == .distantFuture ? "forever" : String(until.seconds))")
                }
            }
        }
    }

    /// `trackertui peers HASH`: one swarm's peers, as the dashboard's peers view shows them.
    struct Peers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One torrent's peers, tab-separated: address, role, client, peer id, uploaded, downloaded, left, last seen.")
        @Argument(help: "The torrent's info-hash, 40 hex digits.") var infoHash: String
        @OptionGroup var target: AdminTarget

        func run() async throws {
            let hash = try parseInfoHash(infoHash)
            let now = SystemClock().now()
            let lines = target.store == .redis
                ? try await target.withRedisStore { store in try await store.peers(of: hash, now: now) }.map(Self.line)
                : try fromPages(hash)
            print("address\trole\tclient\tpeer_id\tuploaded\tdownloaded\tleft\tlast_seen")
            for line in lines.sorted(by: { $0[0] < $1[0] }) { print(line.joined(separator: "\t")) }
        }

        static func line(_ peer: PeerDetail) -> [String] {
            line(address: peer.endpoint.description, isSeeder: peer.isSeeder, peerID: peer.peerID, uploaded: Int64(clamping: peer.uploaded),
                 downloaded: Int64(clamping: peer.downloaded), left: peer.left.map { Int64(clamping: $0) }, lastSeen: peer.lastSeen.seconds)
        }

        /// One output line: the header's columns.
        static func line(address: String, isSeeder: Bool, peerID: PeerID, uploaded: Int64, downloaded: Int64, left: Int64?, lastSeen: Int64) -> [String] {
            [address, isSeeder ? "seeder" : "leecher", PeerClient.name(peerID), peerID.description,
             String(uploaded), String(downloaded), left.map(String.init) ?? "-", String(lastSeen)]
        }

        /// The running tracker's `/stats.json?torrent=HEX&peers=N` (the memory store's swarms live in its process).
        private func fromPages(_ hash: InfoHash) throws -> [[String]] {
            let client = try target.pagesClient()
            // A torrent the tracker does not know has no peers (as with Redis).
            guard let report = try client.json("/stats.json?torrent=\(hash.hex)&peers=10000&fresh=1") else { return [] }
            guard let items = report["peer_list"] as? [[String: Any]] else {
                throw PagesClient.Failure(description: "\(client.address): /stats.json without peer_list")
            }
            return items.compactMap { item in
                guard let address = item["address"] as? String, let id = (item["peer_id"] as? String).flatMap(Bytes20.init(hex:)),
                      let seeder = item["seeder"] as? Bool, let uploaded = item["uploaded"] as? Int, let downloaded = item["downloaded"] as? Int,
                      let lastSeen = item["last_seen"] as? Int else { return nil }
                return Self.line(address: address, isSeeder: seeder, peerID: PeerID(id), uploaded: Int64(uploaded), downloaded: Int64(downloaded),
                                 left: (item["left"] as? Int).map(Int64.init), lastSeen: Int64(lastSeen))
            }
        }
    }
}

/// An info-hash from the command line, or a usage error naming it.
func parseInfoHash(_ text: String) throws -> InfoHash {
    guard let hash = InfoHash(hex: text) else { throw ValidationError("\(text): expected 40 hex digits") }
    return hash
}
