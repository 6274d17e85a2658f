import Logging

/// A list file in opentracker's format (`--whitelist`, `--blacklist`): one 40-hex info-hash a
/// line, `#` comments. Links are followed (such lists are often kept elsewhere and linked).
public enum InfoHashListFile {
    struct Missing: Error, CustomStringConvertible {
        let path: String
        var description: String { "no such file: \(path)" }
    }

    /// The file's info-hashes; a line that does not parse is logged with its number and skipped.
    /// Throws when the file is missing or cannot be read: what the caller does then is its own
    /// choice (a missing blacklist must not lift every entry it made).
    public static func read(_ path: String, list: String, logger: Logger) throws -> Set<InfoHash> {
        guard let bytes = try PrivateFiles.read(path, followingLinks: true) else { throw Missing(path: path) }
        let (hashes, problems) = ModerationFileFormat.infoHashes(bytes)
        for problem in problems {
            logger.warning("\(list) line skipped", metadata: ["file": "\(path)", "line": "\(problem.line)", "reason": "\(problem.reason)"])
        }
        return hashes
    }

    /// Adds and removes info-hashes in a list file, keeping every other line (comments, lines
    /// that do not parse) as it was; a missing file is made. Written whole, so a crash never
    /// leaves half a list. Returns the hashes the file holds after.
    @discardableResult
    public static func edit(_ path: String, adding: Set<InfoHash> = [], removing: Set<InfoHash> = []) throws -> Set<InfoHash> {
        let bytes = try PrivateFiles.read(path, followingLinks: true) ?? []
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        lines.removeAll { ModerationFileFormat.infoHash(inLine: $0).map(removing.contains) ?? false }
        let present = Set(lines.compactMap(ModerationFileFormat.infoHash(inLine:)))
        lines += adding.subtracting(present).sorted().map { ArraySlice($0.hex.utf8) }
        try PrivateFiles.replace(path, with: lines.flatMap { $0 + [UInt8(ascii: "\n")] })
        return present.union(adding)
    }
}
