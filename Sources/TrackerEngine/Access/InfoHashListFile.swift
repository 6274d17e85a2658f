import Logging

/// A list file in opentracker's format (`--whitelist`, `--blacklist`): one 40-hex info-hash a
/// line, `#` comments. Links are followed (such lists are often kept elsewhere and linked).
enum InfoHashListFile {
    struct Missing: Error, CustomStringConvertible {
        let path: String
        var description: String { "no such file: \(path)" }
    }

    /// The file's info-hashes; a line that does not parse is logged with its number and skipped.
    /// Throws when the file is missing or cannot be read: what the caller does then is its own
    /// choice (a missing blacklist must not lift every entry it made).
    static func read(_ path: String, list: String, logger: Logger) throws -> Set<InfoHash> {
        guard let bytes = try PrivateFiles.read(path, followingLinks: true) else { throw Missing(path: path) }
        let (hashes, problems) = ModerationFileFormat.infoHashes(bytes)
        for problem in problems {
            logger.warning("\(list) line skipped", metadata: ["file": "\(path)", "line": "\(problem.line)", "reason": "\(problem.reason)"])
        }
        return hashes
    }
}
