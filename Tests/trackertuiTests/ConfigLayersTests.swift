import Foundation
import Testing
@testable import trackertui

/// The config file and environment layered under the command line.
@Suite("Config layers")
struct ConfigLayersTests {
    static let subcommands: Set<String> = ["tui", "serve", "dashboard", "torrents"]

    static func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "tt-config-\(UUID().uuidString).toml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("flags beat the environment, which beats the file; a list from a higher layer replaces the lower one whole")
    func precedence() throws {
        let path = try Self.file("""
            max_torrents = 10
            max-peers-per-ip = 3
            http = ["127.0.0.1:1", "127.0.0.1:2"]
            no-udp = true
            full-scrape = "off"
            interval = 900
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let layered = try ConfigLayers.layered(["serve", "--config", path, "--interval", "600"],
                                               environment: ["TRACKERTUI_MAX_TORRENTS": "20", "TRACKERTUI_HTTP": "127.0.0.1:3", "HOME": "/root",
                                                             "TRACKERTUI_REDIS_SERVER": "/usr/bin/redis-server"],
                                               subcommands: Self.subcommands)
        #expect(layered.arguments == ["serve", "--full-scrape=off", "--http=127.0.0.1:3", "--max-peers-per-ip=3", "--max-torrents=20", "--no-udp",
                                      "--config", path, "--interval", "600"])
        #expect(layered.origins["max-torrents"] == "environment variable TRACKERTUI_MAX_TORRENTS")
        #expect(layered.origins["max-peers-per-ip"] == "config file \(path), key max-peers-per-ip")
        #expect(layered.origins["interval"] == nil, "given on the command line")
    }

    @Test("the default command gets the layers too; other commands are left alone; false leaves a flag out")
    func commands() throws {
        let environment = ["TRACKERTUI_STORE": "memory", "TRACKERTUI_NO_UDP": "false"]
        #expect(try ConfigLayers.layered([], environment: environment, subcommands: Self.subcommands).arguments == ["--store=memory"])
        #expect(try ConfigLayers.layered(["--threads", "2"], environment: environment, subcommands: Self.subcommands).arguments
                == ["--store=memory", "--threads", "2"])
        #expect(try ConfigLayers.layered(["dashboard", "--redis", "x"], environment: environment, subcommands: Self.subcommands).arguments
                == ["dashboard", "--redis", "x"])
    }

    @Test("a file that does not parse, a table where a value goes, a missing file: errors naming the file and the line or key")
    func errors() throws {
        let broken = try Self.file("interval = [\n")
        let table = try Self.file("[redis]\nprefix = \"x\"\n")
        defer { for path in [broken, table] { try? FileManager.default.removeItem(atPath: path) } }
        #expect(throws: ConfigLayers.Failure.self) { try ConfigLayers.layered(["serve", "--config", broken], environment: [:], subcommands: Self.subcommands) }
        do {
            _ = try ConfigLayers.layered(["serve", "--config=\(table)"], environment: [:], subcommands: Self.subcommands)
            Issue.record("a table is not an option")
        } catch {
            #expect(error.description.contains("key redis"))
        }
        do {
            _ = try ConfigLayers.layered(["serve", "--config", "/nonexistent.toml"], environment: [:], subcommands: Self.subcommands)
            Issue.record("a missing file is an error")
        } catch {
            #expect(error.description == "config file /nonexistent.toml: not found")
        }
    }
}

extension ConfigLayersTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("trackertui.toml")

    @Test("the example trackertui.toml sets nothing as shipped, and every key it shows is an option serve takes")
    func example() throws {
        let path = Self.example.path
        #expect(try ConfigLayers.layered(["serve", "--config", path], environment: [:], subcommands: Self.subcommands).origins.isEmpty)
        // Every `# key = value` line uncommented, but for the pairs that exclude each other.
        let text = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("# "), line.contains(" = "), !line.hasPrefix("# no-udp"), !line.hasPrefix("# redis ") else { return nil }
            return String(line.dropFirst(2))
        }.joined(separator: "\n")
        let uncommented = try Self.file(text)
        defer { try? FileManager.default.removeItem(atPath: uncommented) }
        let layered = try ConfigLayers.layered(["serve", "--config", uncommented], environment: [:], subcommands: Self.subcommands)
        #expect(layered.origins.count >= 20, "\(layered.origins.keys.sorted())")
        #expect(throws: Never.self) { try TrackerTUI.parseAsRoot(layered.arguments) }
    }
}
