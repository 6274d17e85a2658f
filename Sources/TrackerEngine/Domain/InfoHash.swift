/// The SHA-1 of a torrent's info dictionary: 20 raw bytes identifying a swarm.
public struct InfoHash: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var raw: Bytes20

    public init(_ raw: Bytes20) { self.raw = raw }

    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard let raw = Bytes20(bytes: bytes) else { return nil }
        self.raw = raw
    }

    public init?(hex: some StringProtocol) {
        guard let raw = Bytes20(hex: hex) else { return nil }
        self.raw = raw
    }

    public var bytes: [UInt8] { raw.bytes }
    public var hex: String { raw.hex }
    public var description: String { hex }

    /// Byte-wise order: the order in which a bencoded dictionary keyed by info-hash must list them.
    public static func < (lhs: InfoHash, rhs: InfoHash) -> Bool {
        lhs.raw.withBytes { l in rhs.raw.withBytes { r in l.lexicographicallyPrecedes(r) } }
    }
}
