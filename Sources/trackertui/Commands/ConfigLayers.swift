import ArgumentParser
import Foundation
import TOMLKit
import TrackerEngine

/// The engine commands' (`tui`, `serve`) options from a config file (`--config FILE`, TOML) and
/// the environment (`TRACKERTUI_<OPTION>`), turned into command-line arguments before
/// ArgumentParser sees them, so every option is settable in all three ways and checked by the
/// same code. Precedence: flags > environment > file > defaults; an option given at a higher
/// layer replaces the lower layers' values whole (a repeatable option's list too).
///
/// File keys are the long option names (`max-torrents = 1000`; `_` may stand for `-`); lists for
/// repeatable options (`http = ["0.0.0.0:6969", "[::]:6969"]`); `true` for a flag (`no-udp =
/// true`). Variables: `TRACKERTUI_MAX_TORRENTS=1000`, one value each (`true` sets a flag).
enum ConfigLayers {
    static let engineCommands: Set<String> = ["tui", "serve"]
    /// Variables with other jobs (the managed redis-server's binary, the tests' knobs).
    static let reservedVariables: Set<String> = ["TRACKERTUI_REDIS_SERVER", "TRACKERTUI_BIN", "TRACKERTUI_SANITIZER"]
    /// The largest config file read.
    static let maxFileBytes = 1 << 20

    struct Layered: Equatable {
        /// The arguments after the program's name.
        var arguments: [String]
        /// Where each option that did not come from the command line came from, by option name.
        var origins: [String: String] = [:]
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private enum Value: Equatable {
        case flag(Bool)
        case values([String])
    }

    static func layered(_ arguments: [String], environment: [String: String], subcommands: Set<String>) throws(Failure) -> Layered {
        // Where the options go: after an engine command's name, or first (`tui` is the default).
        let insertAt: Int
        if let first = arguments.first, engineCommands.contains(first) {
            insertAt = 1
        } else if let first = arguments.first, subcommands.contains(first) || !first.hasPrefix("-") {
            return Layered(arguments: arguments)
        } else {
            insertAt = 0
        }
        let given = Set(arguments.filter { $0.hasPrefix("--") }.map { String($0.dropFirst(2).prefix { $0 != "=" }) })
        var layers: [String: (value: Value, origin: String)] = [:]
        if let path = configPath(arguments) {
            for (name, value) in try file(path) where !given.contains(name.name) {
                layers[name.name] = (value, "config file \(path), key \(name.key)")
            }
        }
        for (variable, text) in environment where variable.hasPrefix("TRACKERTUI_") && !reservedVariables.contains(variable) {
            let name = variable.dropFirst("TRACKERTUI_".count).lowercased().replacingOccurrences(of: "_", with: "-")
            guard !name.isEmpty, !given.contains(name), name != "config" else { continue }
            let value: Value = text == "true" ? .flag(true) : text == "false" ? .flag(false) : .values([text])
            layers[name] = (value, "environment variable \(variable)")
        }
        var inserted: [String] = []
        var origins: [String: String] = [:]
        for (name, layer) in layers.sorted(by: { $0.key < $1.key }) {
            switch layer.value {
            case .flag(false): continue
            case .flag(true): inserted.append("--\(name)")
            // `--name=value`: a value that starts with `-` is not taken for an option.
            case .values(let values): for value in values { inserted.append("--\(name)=\(value)") }
            }
            origins[name] = layer.origin
        }
        var result = arguments
        result.insert(contentsOf: inserted, at: insertAt)
        return Layered(arguments: result, origins: origins)
    }

    /// `--config FILE` or `--config=FILE`, the last one given.
    private static func configPath(_ arguments: [String]) -> String? {
        var path: String?
        for (i, argument) in arguments.enumerated() {
            if argument == "--config", i + 1 < arguments.count { path = arguments[i + 1] }
            if argument.hasPrefix("--config=") { path = String(argument.dropFirst("--config=".count)) }
        }
        return path
    }

    /// The file's options by name, with the key as written.
    private static func file(_ path: String) throws(Failure) -> [(name: (name: String, key: String), value: Value)] {
        let text: String
        do {
            guard let bytes = try PrivateFiles.read(path, maxBytes: maxFileBytes, followingLinks: true) else {
                throw Failure(description: "config file \(path): not found")
            }
            text = String(decoding: bytes, as: UTF8.self)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "config file \(path): \(error)")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw Failure(description: "config file \(path), line \(error.source.begin.line): \(error.description)")
        } catch {
            throw Failure(description: "config file \(path): \(error)")
        }
        var options: [(name: (name: String, key: String), value: Value)] = []
        for key in table.keys.sorted() {
            guard let value = table[key] else { continue }
            let name = key.replacingOccurrences(of: "_", with: "-")
            guard name != "config" else { throw Failure(description: "config file \(path), key config: a config file cannot name another") }
            options.append(((name, key), try Self.value(value, key: key, path: path)))
        }
        return options
    }

    private static func value(_ value: TOMLValueConvertible, key: String, path: String) throws(Failure) -> Value {
        func scalar(_ value: TOMLValueConvertible) -> String? {
            switch value.type {
            case .string: return value.string
            case .int: return value.int.map(String.init)
            case .double: return value.double.map { String($0) }
            default: return nil
            }
        }
        if value.type == .bool, let flag = value.bool { return .flag(flag) }
        if let single = scalar(value) { return .values([single]) }
        if value.type == .array, let array = value.array {
            let items = array.map(scalar)
            if !items.contains(where: { $0 == nil }) { return .values(items.compactMap { $0 }) }
        }
        throw Failure(description: "config file \(path), key \(key): expected a string, a number, true or false, or a list of strings or numbers")
    }
}
