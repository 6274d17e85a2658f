import Crypto

/// What the catalog keeps of a .torrent file (BEP 3, BEP 52): its info-hashes and what an
/// operator reads to tell swarms apart.
public struct TorrentMetainfo: Sendable, Equatable {
    /// SHA-1 of the info dictionary, when the torrent is v1 or hybrid.
    public var v1: InfoHash?
    /// SHA-256 of the info dictionary truncated to 20 bytes (what v2 clients announce), when the
    /// torrent is v2 or hybrid.
    public var v2: InfoHash?
    /// Printable: control characters are replaced, so a name cannot steer a terminal.
    public var name: String
    /// Bytes of content, padding files (BEP 47) left out.
    public var totalLength: UInt64
    public var fileCount: Int
    public var pieceLength: Int
    public var isPrivate: Bool

    public init(v1: InfoHash?, v2: InfoHash?, name: String, totalLength: UInt64, fileCount: Int, pieceLength: Int, isPrivate: Bool) {
        self.v1 = v1
        self.v2 = v2
        self.name = name
        self.totalLength = totalLength
        self.fileCount = fileCount
        self.pieceLength = pieceLength
        self.isPrivate = isPrivate
    }

    /// Every hash the torrent is announced under (a hybrid torrent has two).
    public var infoHashes: [InfoHash] { [v1, v2].compactMap { $0 } }

    /// Longest name kept, in bytes of UTF-8.
    public static let maxNameBytes = 512
    /// Most bencoded values a file may hold: a torrent of 100,000 files has about a million; a
    /// file of nothing but empty lists would otherwise decode into eight times its size.
    public static let maxValues = 2_000_000

    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        case notBencode(BencodeError)
        case noInfoDictionary
        case missing(String)
        case invalid(String)

        public var description: String {
            switch self {
            case .notBencode(let error): return "not bencode: \(error)"
            case .noInfoDictionary: return "no info dictionary"
            case .missing(let field): return "missing \(field)"
            case .invalid(let field): return "invalid \(field)"
            }
        }
    }

    /// Reads a .torrent file's bytes. Lenient where real files are (unsorted keys outside the
    /// info dictionary), strict where a hostile file could hurt (lengths, nesting, sums).
    public static func parse(_ bytes: [UInt8]) throws(Failure) -> TorrentMetainfo {
        let decoded: (value: BencodeValue, range: Range<Int>?)
        do {
            decoded = try BencodeValue.decode(bytes, strict: false, maxDepth: 64, maxValues: maxValues, locating: "info")
        } catch {
            throw .notBencode(error)
        }
        guard let range = decoded.range, let info = decoded.value["info"], info.dictionary != nil else { throw .noInfoDictionary }
        let infoBytes = bytes[range]

        guard let pieceLength = info["piece length"]?.integer else { throw .missing("piece length") }
        guard pieceLength > 0, pieceLength <= 1 << 30 else { throw .invalid("piece length") }
        let isV2 = info["meta version"]?.integer == 2
        let isV1 = info["pieces"] != nil
        guard isV1 || isV2 else { throw .missing("pieces or meta version 2") }

        let files: (count: Int, length: UInt64)
        if isV2 {
            guard let tree = info["file tree"], tree.dictionary != nil else { throw .missing("file tree") }
            files = try fileTree(tree)
        } else {
            files = try v1Files(info)
        }
        guard let rawName = info["name.utf-8"]?.bytes ?? info["name"]?.bytes else { throw .missing("name") }

        return TorrentMetainfo(
            v1: isV1 ? InfoHash(bytes: Array(Insecure.SHA1.hash(data: infoBytes))) : nil,
            v2: isV2 ? InfoHash(bytes: Array(SHA256.hash(data: infoBytes).prefix(20))) : nil,
            name: printable(rawName), totalLength: files.length, fileCount: files.count,
            pieceLength: Int(pieceLength), isPrivate: info["private"]?.integer == 1)
    }

    /// BEP 3: `length` for one file, or `files` (each with a `length`); padding files skipped.
    private static func v1Files(_ info: BencodeValue) throws(Failure) -> (count: Int, length: UInt64) {
        if let length = info["length"]?.integer {
            guard length >= 0 else { throw .invalid("length") }
            return (1, UInt64(length))
        }
        guard let list = info["files"]?.list else { throw .missing("length or files") }
        var count = 0, total: UInt64 = 0
        for file in list {
            guard let length = file["length"]?.integer, length >= 0 else { throw .invalid("files") }
            if file["attr"]?.text?.contains("p") == true { continue }
            let (sum, overflow) = total.addingReportingOverflow(UInt64(length))
            guard !overflow else { throw .invalid("files") }
            total = sum
            count += 1
        }
        return (count, total)
    }

    /// BEP 52: a tree of path components whose leaves are `"": {length, pieces root}`. Walked
    /// with an explicit stack (the decoder bounds its depth already).
    private static func fileTree(_ tree: BencodeValue) throws(Failure) -> (count: Int, length: UInt64) {
        var count = 0, total: UInt64 = 0
        var stack = [tree]
        while let node = stack.popLast() {
            guard let entries = node.dictionary else { throw .invalid("file tree") }
            for (key, child) in entries {
                if key.isEmpty {
                    guard let length = child["length"]?.integer, length >= 0 else { throw .invalid("file tree") }
                    let (sum, overflow) = total.addingReportingOverflow(UInt64(length))
                    guard !overflow else { throw .invalid("file tree") }
                    total = sum
                    count += 1
                } else {
                    stack.append(child)
                }
            }
        }
        return (count, total)
    }

    /// The name as text for a terminal or a web page: invalid UTF-8 and control characters
    /// become U+FFFD, and it is cut at `maxNameBytes`.
    static func printable(_ raw: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        var bytes = 0
        for scalar in String(decoding: raw, as: UTF8.self).unicodeScalars {
            let kept = scalar.properties.generalCategory == .control ? "\u{FFFD}" : scalar
            bytes += UTF8.width(kept)
            if bytes > maxNameBytes { break }
            scalars.append(kept)
        }
        return String(scalars)
    }
}
