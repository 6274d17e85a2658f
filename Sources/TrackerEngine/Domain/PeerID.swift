/// The 20-byte id a client chooses for itself (often Azureus-style, like `-qB4520-` + random).
public struct PeerID: Hashable, Sendable, CustomStringConvertible {
    public var raw: Bytes20

    public init(_ raw: Bytes20) { self.raw = raw }

    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard let raw = Bytes20(bytes: bytes) else { return nil }
        self.raw = raw
    }

    public var bytes: [UInt8] { raw.bytes }
    public var description: String { raw.hex }
}
