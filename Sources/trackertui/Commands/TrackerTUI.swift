import ArgumentParser

@main
struct TrackerTUI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trackertui",
        abstract: "A BitTorrent tracker whose swarms live in Redis (or in memory); the live dashboard is coming.",
        subcommands: [Serve.self, BenchMemory.self],
        // Until the dashboard lands, a bare `trackertui` serves.
        defaultSubcommand: Serve.self
    )
}
