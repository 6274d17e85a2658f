import ArgumentParser

struct TrackerTUI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trackertui",
        abstract: "A BitTorrent tracker whose swarms live in Redis (or in memory), with a live dashboard to watch and moderate them.",
        subcommands: [TUI.self, Serve.self, Dashboard.self, Torrents.self, Blacklist.self, Ban.self, Whitelist.self, Peers.self, BenchMemory.self, BenchDashboard.self, BenchUDP.self],
        // A bare `trackertui` runs the engine with its dashboard.
        defaultSubcommand: TUI.self
    )
}
