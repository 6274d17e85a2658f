import ArgumentParser

@main
struct TrackerTUI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trackertui",
        abstract: "A BitTorrent tracker whose swarms live in memory (Redis and the live dashboard are coming).",
        subcommands: [Serve.self, BenchMemory.self],
        // Until the dashboard lands, a bare `trackertui` serves.
        defaultSubcommand: Serve.self
    )
}
