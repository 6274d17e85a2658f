import ArgumentParser
import Foundation
import Logging
import TrackerEngine

extension TrackerTUI {
    /// `trackertui whitelist add|remove|list`: closed mode's list of torrents tracked besides the
    /// catalog's. The list is the tracker's `--whitelist` file (opentracker's format); the
    /// running tracker reads it again on SIGHUP (`systemctl reload trackertui`), and with Redis
    /// shares it with every node.
    struct Whitelist: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add torrents to the --whitelist file, remove them, or list it (or, with --redis, what every node shares).",
            subcommands: [Add.self, Remove.self, List.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add info-hashes to the whitelist file; then reload the tracker (SIGHUP).")
            @Argument(help: "Info-hashes, 40 hex digits each.") var infoHashes: [String]
            @Option(help: "The tracker's --whitelist file.") var file: String

            func run() throws {
                let listed = try InfoHashListFile.edit(file, adding: Set(try infoHashes.map(parseInfoHash)))
                print("\(file): \(listed.count) torrents; send the tracker SIGHUP (systemctl reload trackertui) to apply")
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove info-hashes from the whitelist file; then reload the tracker (SIGHUP).")
            @Argument(help: "Info-hashes, 40 hex digits each.") var infoHashes: [String]
            @Option(help: "The tracker's --whitelist file.") var file: String

            func run() throws {
                let listed = try InfoHashListFile.edit(file, removing: Set(try infoHashes.map(parseInfoHash)))
                print("\(file): \(listed.count) torrents; send the tracker SIGHUP (systemctl reload trackertui) to apply")
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "The whitelist file's info-hashes, or with --redis every node's, one a line.")
            @Option(help: "The tracker's --whitelist file.") var file: String?
            @OptionGroup var target: AdminTarget

            func run() async throws {
                let hashes: Set<InfoHash>
                if let file {
                    hashes = try InfoHashListFile.read(file, list: "whitelist", logger: Logger(label: "trackertui"))
                } else {
                    hashes = try await target.withRedisStore { store in try await store.sharedCatalog(unless: nil).catalog?.whitelist ?? [] }
                }
                for hash in hashes.sorted() { print(hash.hex) }
            }
        }
    }
}
