import NIOCore

/// Low-level bencode writing straight into a `ByteBuffer`: no value tree, no String building.
extension ByteBuffer {
    /// Writes `i<value>e`.
    @inlinable
    public mutating func writeBencodeInteger(_ value: Int) {
        writeInteger(UInt8(ascii: "i"))
        writeDecimal(value)
        writeInteger(UInt8(ascii: "e"))
    }

    /// Writes `<length>:` — the header of a byte string whose bytes follow.
    @inlinable
    public mutating func writeBencodeStringHeader(length: Int) {
        writeDecimal(length)
        writeInteger(UInt8(ascii: ":"))
    }

    /// Writes a whole byte string: `<length>:<bytes>`.
    @inlinable
    public mutating func writeBencodeString(_ bytes: some Collection<UInt8>) {
        writeBencodeStringHeader(length: bytes.count)
        writeBytes(bytes)
    }

    @inlinable
    public mutating func writeBencodeString(_ text: String) {
        writeBencodeString(text.utf8)
    }

    /// Writes a signed decimal number without allocating.
    @inlinable
    public mutating func writeDecimal(_ value: Int) {
        if value < 0 { writeInteger(UInt8(ascii: "-")) }
        _ = ASCIIDecimal.withDigits(UInt64(value.magnitude)) { writeBytes($0) }
    }
}
