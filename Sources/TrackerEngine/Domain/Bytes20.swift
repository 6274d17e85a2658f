/// Twenty raw bytes held inline (no heap): the shape of an info-hash and of a peer id.
/// Stored as three integers so that equality and hashing cost three compares, not a loop.
public struct Bytes20: Hashable, Sendable {
    public var a: UInt64
    public var b: UInt64
    public var c: UInt32

    public init(a: UInt64, b: UInt64, c: UInt32) {
        self.a = a
        self.b = b
        self.c = c
    }

    /// Reads exactly 20 bytes; returns nil for any other length.
    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard bytes.count == 20 else { return nil }
        var raw = Bytes20(a: 0, b: 0, c: 0)
        withUnsafeMutableBytes(of: &raw) { dst in
            var i = 0
            for byte in bytes {
                dst[i] = byte
                i += 1
            }
        }
        self = raw
    }

    /// The bytes in wire order.
    public var bytes: [UInt8] {
        withUnsafeBytes(of: self) { Array($0.prefix(20)) }
    }

    /// Calls `body` with the 20 bytes in wire order, without allocating.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: self) { try body(UnsafeRawBufferPointer(rebasing: $0.prefix(20))) }
    }

    /// Lowercase hex, 40 characters.
    public var hex: String {
        var out = [UInt8]()
        out.reserveCapacity(40)
        appendHex(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the 40 lowercase hex digits as UTF-8 (no String on the way).
    public func appendHex(to out: inout [UInt8]) {
        withBytes { raw in
            for byte in raw {
                out.append(Self.hexDigits[Int(byte >> 4)])
                out.append(Self.hexDigits[Int(byte & 0x0F)])
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Parses 40 hex digits (either case).
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 40 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(20)
        var i = 0
        while i < 40 {
            guard let hi = HexDigit.value(utf8[i]), let lo = HexDigit.value(utf8[i + 1]) else { return nil }
            bytes.append(hi << 4 | lo)
            i += 2
        }
        self.init(bytes: bytes)
    }
}

/// Hex digit values for parsers that work on raw bytes.
public enum HexDigit {
    @inline(__always)
    public static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }
}
