/// Reads big-endian fields from the front of a datagram; the caller checks the size first.
struct BigEndianReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    mutating func uint16() -> UInt16 { read(UInt16.self) }
    mutating func uint32() -> UInt32 { read(UInt32.self) }
    mutating func uint64() -> UInt64 { read(UInt64.self) }

    mutating func bytes20() -> Bytes20 {
        defer { offset += 20 }
        return Bytes20(bytes: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 20]))!
    }

    /// What is left after the fields read so far.
    var rest: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[offset...]) }

    private mutating func read<T: FixedWidthInteger>(_: T.Type) -> T {
        precondition(offset + MemoryLayout<T>.size <= bytes.count, "read past the datagram")
        defer { offset += MemoryLayout<T>.size }
        return T(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
