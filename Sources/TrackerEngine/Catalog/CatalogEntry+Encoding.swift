/// A catalog entry as a bencoded dictionary: how it is shared through Redis. Read back with the
/// same care as any outside bytes: every field checked, the name made printable again.
extension CatalogEntry {
    /// Longest path kept, in bytes.
    static let maxPathBytes = 4096

    public func encoded() -> [UInt8] {
        var fields: [[UInt8]: BencodeValue] = [
            Array("name".utf8): .string(metainfo.name),
            Array("size".utf8): .integer(Int64(clamping: metainfo.totalLength)),
            Array("files".utf8): .integer(Int64(metainfo.fileCount)),
            Array("piece".utf8): .integer(Int64(metainfo.pieceLength)),
            Array("private".utf8): .integer(metainfo.isPrivate ? 1 : 0),
            Array("path".utf8): .bytes(Array(path.utf8.prefix(Self.maxPathBytes))),
        ]
        if let registered { fields[Array("registered".utf8)] = .integer(registered.seconds) }
        if let v1 = metainfo.v1 { fields[Array("v1".utf8)] = .string(v1.hex) }
        if let v2 = metainfo.v2 { fields[Array("v2".utf8)] = .string(v2.hex) }
        return BencodeValue.dictionary(fields).encoded()
    }

    /// Nil for anything that is not an entry this code wrote: the caller skips it.
    public init?(encoded bytes: [UInt8]) {
        guard bytes.count <= 8192, let value = try? BencodeValue.decode(bytes, strict: true, maxDepth: 2),
              let name = value["name"]?.bytes, let size = value["size"]?.integer, size >= 0,
              let files = value["files"]?.integer, files >= 0, files <= Int64(Int32.max),
              let piece = value["piece"]?.integer, piece > 0, piece <= 1 << 30,
              let isPrivate = value["private"]?.integer, let path = value["path"]?.bytes, path.count <= Self.maxPathBytes
        else { return nil }
        let v1 = value["v1"]?.text.flatMap { InfoHash(hex: $0) }, v2 = value["v2"]?.text.flatMap { InfoHash(hex: $0) }
        guard v1 != nil || v2 != nil else { return nil }
        let registered = value["registered"]?.integer.flatMap { $0 >= 0 ? TrackerTime(seconds: $0) : nil }
        self.init(metainfo: TorrentMetainfo(v1: v1, v2: v2, name: TorrentMetainfo.printable(name), totalLength: UInt64(size),
                                            fileCount: Int(files), pieceLength: Int(piece), isPrivate: isPrivate == 1),
                  path: String(decoding: path, as: UTF8.self), registered: registered)
    }
}
