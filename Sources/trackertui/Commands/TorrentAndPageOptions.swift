import ArgumentParser
import TrackerEngine

/// The engine's options for which torrents it tracks (catalog, mode, lists), where peers are
/// (racks) and who sees its web pages.
struct TorrentAndPageOptions: ParsableArguments {
    @Option(name: .customLong("torrents"), help: ArgumentHelp(
        "A directory of .torrent files (searched recursively, watched for changes): torrent names and sizes in the dashboard; in closed mode, the torrents tracked. Repeatable.",
        valueName: "dir"))
    var torrentDirectories: [String] = []

    @Option(help: "open: any torrent is tracked (the blacklist aside); closed: only those of --torrents and --whitelist.")
    var mode: TrackerConfiguration.AccessMode = .open

    @Option(help: ArgumentHelp("In closed mode, torrents tracked besides the catalog's: one 40-hex info-hash a line (opentracker's format), read again on SIGHUP.",
                               valueName: "file"))
    var whitelist: String?

    @Option(help: ArgumentHelp("Torrents to refuse besides the moderation's: one 40-hex info-hash a line (opentracker's format); applied like the dashboard's blacklist (purged, persisted, shared), read again on SIGHUP.",
                               valueName: "file"))
    var blacklist: String?

    @Option(name: .customLong("rack"), help: ArgumentHelp(
        "A rack: NAME=CIDR[,CIDR…]. A peer is in the rack with the most specific range holding its address, and gets its rack's peers first. Repeatable.",
        valueName: "name=cidr,…"))
    var racks: [String] = []

    @Option(name: .customLong("racks"), help: ArgumentHelp("A racks file: NAME CIDR a line (# comments), besides --rack; read again on SIGHUP.", valueName: "file"))
    var racksFile: String?

    @Option(name: .customLong("admin"), help: ArgumentHelp(
        "HOST:PORT of a listener for /stats, /stats.json and /metrics alone (then the tracker's listeners do not serve them); repeatable.",
        valueName: "host:port"))
    var admin: [String] = []

    @Option(name: .customLong("stats-allow"), help: ArgumentHelp(
        "Who may load /stats, /stats.json and /metrics: an address or CIDR range; repeatable. Default: loopback only. Others get 403.",
        valueName: "cidr"))
    var statsAllow: [String] = []

    func validate() throws {
        for text in admin where ListenAddress(text) == nil {
            throw ValidationError("--admin \(text): expected HOST:PORT, e.g. 127.0.0.1:9090")
        }
        for text in statsAllow where AddressRange(text) == nil {
            throw ValidationError("--stats-allow \(text): expected an address or CIDR range, e.g. 192.168.1.0/24")
        }
        for text in racks {
            do { _ = try RackDefinition(option: text) } catch { throw ValidationError("--rack \(error)") }
        }
    }

    func apply(to config: inout TrackerConfiguration) {
        config.torrentDirectories = torrentDirectories
        config.mode = mode
        config.whitelistFile = whitelist
        config.blacklistFile = blacklist
        config.racks = racks.compactMap { try? RackDefinition(option: $0) }
        config.racksFile = racksFile
        config.admin = admin.compactMap(ListenAddress.init)
        if !statsAllow.isEmpty { config.statsAllow = statsAllow.compactMap(AddressRange.init) }
    }
}
