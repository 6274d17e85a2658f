/// Writes big-endian fields one after another; what does not fit the buffer is dropped.
struct BigEndianWriter {
    private let buffer: UnsafeMutableRawBufferPointer
    private(set) var offset = 0

    init(_ buffer: UnsafeMutableRawBufferPointer) {
        self.buffer = buffer
    }

    mutating func uint32(_ value: UInt32) { write(value) }
    mutating func uint64(_ value: UInt64) { write(value) }

    mutating func bytes(_ bytes: UnsafeRawBufferPointer) {
        let count = min(bytes.count, buffer.count - offset)
        guard count > 0 else { return }
        buffer.baseAddress!.advanced(by: offset).copyMemory(from: bytes.baseAddress!, byteCount: count)
        offset += count
    }

    private mutating func write<T: FixedWidthInteger>(_ value: T) {
        guard offset + MemoryLayout<T>.size <= buffer.count else { return }
        buffer.storeBytes(of: value.bigEndian, toByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
    }
}
