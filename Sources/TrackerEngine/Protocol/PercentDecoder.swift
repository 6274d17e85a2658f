/// Decodes one percent-encoded query value byte by byte, without allocating.
/// `+` stays a literal plus (trackers receive raw bytes, not form text), and a `%`
/// not followed by two hex digits marks the value invalid.
struct PercentDecoder: IteratorProtocol {
    private let bytes: UnsafeRawBufferPointer
    private var index: Int
    private let end: Int
    private(set) var isInvalid = false

    init(_ bytes: UnsafeRawBufferPointer, range: Range<Int>) {
        self.bytes = bytes
        self.index = range.lowerBound
        self.end = range.upperBound
    }

    mutating func next() -> UInt8? {
        guard index < end else { return nil }
        let byte = bytes[index]
        guard byte == UInt8(ascii: "%") else {
            index += 1
            return byte
        }
        guard end - index >= 3,
              let hi = HexDigit.value(bytes[index + 1]),
              let lo = HexDigit.value(bytes[index + 2])
        else {
            isInvalid = true
            index = end
            return nil
        }
        index += 3
        return hi << 4 | lo
    }
}
