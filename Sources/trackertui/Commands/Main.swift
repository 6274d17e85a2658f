import ArgumentParser
import Foundation

/// The entry point: the command line with the config file's and the environment's options
/// layered in (`ConfigLayers`), then ArgumentParser. A value from the file or the environment
/// that ArgumentParser refuses is reported with where it came from.
@main
enum Main {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let subcommands = Set(TrackerTUI.configuration.subcommands.map { $0._commandName })
        let layered: ConfigLayers.Layered
        do {
            layered = try ConfigLayers.layered(arguments, environment: ProcessInfo.processInfo.environment, subcommands: subcommands)
        } catch {
            FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
            exit(ExitCode.validationFailure.rawValue)
        }
        if !layered.origins.isEmpty {
            do {
                _ = try TrackerTUI.parseAsRoot(layered.arguments)
            } catch {
                let message = TrackerTUI.message(for: error)
                if TrackerTUI.exitCode(for: error) != .success,
                   let origin = layered.origins.sorted(by: { $0.key.count > $1.key.count }).first(where: { message.contains("--\($0.key)") })?.value {
                    FileHandle.standardError.write(Data("Error: \(origin): \(message)\n".utf8))
                    exit(ExitCode.validationFailure.rawValue)
                }
            }
        }
        await TrackerTUI.main(layered.arguments)
    }
}
