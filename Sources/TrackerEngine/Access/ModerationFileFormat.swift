/// The moderation files' text, both ways. Read line by line: a line that does not parse is
/// reported (with its number) and skipped, and every valid line around it still applies, so a
/// typo in a hand edit never takes the whole list, or the tracker, down.
/// - `blacklist` and whitelists: opentracker's format, one 40-hex info-hash a line, `#` starts a comment.
/// - `bans`: `<address or CIDR range> <until: unix seconds, or forever>` a line.
/// - `deregistered`: `<40-hex info-hash> <deregistered at: unix seconds>` a line.
public enum ModerationFileFormat {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public static func infoHashes(_ bytes: [UInt8]) -> (Set<InfoHash>, [Problem]) {
        var hashes = Set<InfoHash>()
        var problems: [Problem] = []
        for (number, content) in meaningfulLines(bytes) {
            if let hash = InfoHash(hex: content) {
                hashes.insert(hash)
            } else {
                problems.append(Problem(line: number, reason: "expected 40 hex digits, got \(quoted(content))"))
            }
        }
        return (hashes, problems)
    }

    public static func bans(_ bytes: [UInt8]) -> (BanList, [Problem]) {
        var bans = BanList()
        var problems: [Problem] = []
        for (number, content) in meaningfulLines(bytes) {
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 2 else {
                problems.append(Problem(line: number, reason: "expected <address> <until>, got \(quoted(content))"))
                continue
            }
            guard let range = AddressRange(fields[0]) else {
                problems.append(Problem(line: number, reason: "not an address or CIDR range: \(quoted(fields[0]))"))
                continue
            }
            guard let until = deadline(fields[1]) else {
                problems.append(Problem(line: number, reason: "not a time (unix seconds or forever): \(quoted(fields[1]))"))
                continue
            }
            bans[range] = max(until, bans[range] ?? until)
        }
        return (bans, problems)
    }

    public static func deregistered(_ bytes: [UInt8]) -> ([InfoHash: TrackerTime], [Problem]) {
        var torrents: [InfoHash: TrackerTime] = [:]
        var problems: [Problem] = []
        for (number, content) in meaningfulLines(bytes) {
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 2, let hash = InfoHash(hex: fields[0]),
                  fields[1].count <= 12, fields[1].allSatisfy({ $0.isASCII && $0.isNumber }), let seconds = Int64(fields[1]) else {
                problems.append(Problem(line: number, reason: "expected <info-hash> <unix seconds>, got \(quoted(content))"))
                continue
            }
            torrents[hash] = TrackerTime(seconds: seconds)
        }
        return (torrents, problems)
    }

    public static func render(deregistered: [InfoHash: TrackerTime]) -> [UInt8] {
        let lines = deregistered.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map { "\($0.key.hex) \($0.value.seconds)\n" }
        return Array(("# trackertui deregistered torrents: <info-hash> <deregistered at: unix seconds>\n" + lines.joined()).utf8)
    }

    public static func render(blacklist: Set<InfoHash>) -> [UInt8] {
        Array(("# trackertui blacklist: one info-hash (40 hex characters) a line\n"
            + blacklist.map(\.hex).sorted().map { $0 + "\n" }.joined()).utf8)
    }

    public static func render(bans: BanList) -> [UInt8] {
        let lines = bans.sorted { ($0.value, $0.key.description) < ($1.value, $1.key.description) }.map { range, until in
            "\(range) \(until == .distantFuture ? "forever" : String(until.seconds))\n"
        }
        return Array(("# trackertui bans: <address or CIDR range> <until: unix seconds, or forever>\n" + lines.joined()).utf8)
    }

    /// Unix seconds (a value past the year 292 billion is forever; a negative one is refused), or `forever`.
    private static func deadline(_ text: Substring) -> TrackerTime? {
        if text == "forever" { return .distantFuture }
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        guard let seconds = Int64(text) else { return text.count > 18 ? .distantFuture : nil }
        return TrackerTime(seconds: seconds)
    }

    /// The info-hash a line of a list file holds (comment and blanks aside), if any: how the
    /// tracker reads the line, for tools that edit such files line by line.
    public static func infoHash(inLine line: ArraySlice<UInt8>) -> InfoHash? {
        InfoHash(hex: content(of: line))
    }

    /// Lines with comments and surrounding blanks removed, numbered from 1; empty ones dropped.
    private static func meaningfulLines(_ bytes: [UInt8]) -> [(Int, Substring)] {
        var result: [(Int, Substring)] = []
        // Split as bytes: as Characters, "\r\n" is one grapheme and would not split at "\n".
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let content = content(of: line)
            if !content.isEmpty { result.append((index + 1, content)) }
        }
        return result
    }

    /// A line without its comment and surrounding blanks (a CR of CRLF included).
    private static func content(of line: ArraySlice<UInt8>) -> Substring {
        Substring(String(decoding: line.prefix { $0 != UInt8(ascii: "#") }, as: UTF8.self)).trimmingASCIIBlanks()
    }

    private static func quoted(_ text: Substring) -> String {
        "\"" + (text.count > 60 ? text.prefix(60) + "…" : text) + "\""
    }
}

extension Substring {
    fileprivate func trimmingASCIIBlanks() -> Substring {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return "" }
        return self[first...last]
    }
}
