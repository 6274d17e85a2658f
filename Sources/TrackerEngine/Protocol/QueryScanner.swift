/// Splits a raw query string (`a=1&b=2`) into name and value ranges, without copying.
/// A pair without `=` has an empty value; empty pairs (`&&`) are skipped.
struct QueryScanner {
    struct Pair {
        var name: Range<Int>
        var value: Range<Int>
    }

    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    mutating func next() -> Pair? {
        while index < bytes.count {
            let start = index
            var equals = -1
            while index < bytes.count, bytes[index] != UInt8(ascii: "&") {
                if equals < 0, bytes[index] == UInt8(ascii: "=") { equals = index }
                index += 1
            }
            let end = index
            index += 1  // past '&'
            if end == start { continue }
            if equals < 0 { return Pair(name: start..<end, value: end..<end) }
            return Pair(name: start..<equals, value: (equals + 1)..<end)
        }
        return nil
    }
}

extension UnsafeRawBufferPointer {
    /// Whether the bytes in `range` equal the ASCII text `literal` (both raw, no decoding).
    @inline(__always)
    func matches(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let lit = literal.utf8Start
        var i = 0
        while i < range.count {
            if self[range.lowerBound + i] != lit[i] { return false }
            i += 1
        }
        return true
    }
}

/// Value decoders shared by the announce and scrape parsers. Each reports the parameter by name.
enum QueryValue {
    /// Exactly 20 decoded bytes (info_hash, peer_id).
    static func bytes20(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, name: String) throws(ClientError) -> Bytes20 {
        var decoder = PercentDecoder(bytes, range: range)
        var raw = Bytes20(a: 0, b: 0, c: 0)
        var count = 0
        withUnsafeMutableBytes(of: &raw) { dst in
            while let byte = decoder.next() {
                if count < 20 { dst[count] = byte }
                count += 1
            }
        }
        if decoder.isInvalid { throw .invalidPercentEncoding(name) }
        if count != 20 { throw .invalidLength(name, expected: 20, got: count) }
        return raw
    }

    /// A non-negative decimal integer that fits in 64 bits.
    static func unsigned(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, name: String) throws(ClientError) -> UInt64 {
        var decoder = PercentDecoder(bytes, range: range)
        var value: UInt64 = 0
        var digits = 0
        while let byte = decoder.next() {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .invalidNumber(name) }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(byte &- UInt8(ascii: "0")))
            if o1 || o2 { throw .invalidNumber(name) }
            value = sum
            digits += 1
        }
        if decoder.isInvalid { throw .invalidPercentEncoding(name) }
        if digits == 0 { throw .invalidNumber(name) }
        return value
    }

    /// A decimal integer that may be negative (numwant=-1 means "the default").
    static func signed(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, name: String) throws(ClientError) -> Int64 {
        if let first = range.first, bytes[first] == UInt8(ascii: "-") {
            let magnitude = try unsigned(bytes, (first + 1)..<range.upperBound, name: name)
            guard magnitude <= UInt64(Int64.max) else { throw .invalidNumber(name) }
            return -Int64(magnitude)
        }
        let value = try unsigned(bytes, range, name: name)
        return value > UInt64(Int64.max) ? Int64.max : Int64(value)
    }

    /// FNV-1a over the decoded bytes: a fixed-size digest of a free-form value (the `key`).
    static func digest32(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, name: String) throws(ClientError) -> UInt32 {
        var decoder = PercentDecoder(bytes, range: range)
        var hash: UInt32 = 2_166_136_261
        while let byte = decoder.next() {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        if decoder.isInvalid { throw .invalidPercentEncoding(name) }
        return hash
    }

    /// Whether the decoded value equals `literal`.
    static func equals(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ literal: StaticString) -> Bool {
        var decoder = PercentDecoder(bytes, range: range)
        let lit = literal.utf8Start
        var i = 0
        while let byte = decoder.next() {
            if i >= literal.utf8CodeUnitCount || lit[i] != byte { return false }
            i += 1
        }
        return !decoder.isInvalid && i == literal.utf8CodeUnitCount
    }
}
