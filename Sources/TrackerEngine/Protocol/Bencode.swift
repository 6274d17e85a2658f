/// A bencoded value (BEP 3). Used to decode what clients and tests send and to encode
/// rarely used replies; the hot replies are written directly by the response writers.
public enum BencodeValue: Sendable, Equatable {
    case integer(Int64)
    case bytes([UInt8])
    case list([BencodeValue])
    /// Keys are raw byte strings; encoding sorts them byte-wise as the spec requires.
    case dictionary([[UInt8]: BencodeValue])

    public static func string(_ text: String) -> BencodeValue { .bytes(Array(text.utf8)) }

    public subscript(key: String) -> BencodeValue? {
        guard case .dictionary(let dict) = self else { return nil }
        return dict[Array(key.utf8)]
    }

    public var integer: Int64? {
        if case .integer(let v) = self { return v }
        return nil
    }

    public var bytes: [UInt8]? {
        if case .bytes(let v) = self { return v }
        return nil
    }

    public var text: String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

    public var list: [BencodeValue]? {
        if case .list(let v) = self { return v }
        return nil
    }

    public var dictionary: [[UInt8]: BencodeValue]? {
        if case .dictionary(let v) = self { return v }
        return nil
    }
}

/// Why bencoded input was refused, with the byte offset where it went wrong.
public enum BencodeError: Error, Equatable, Sendable {
    case unexpectedEnd(at: Int)
    case invalidByte(at: Int)
    case invalidInteger(at: Int)
    case invalidLength(at: Int)
    case unsortedOrDuplicateKey(at: Int)
    case tooDeep(at: Int)
    /// More values than the caller allows: each costs far more memory decoded than its two or
    /// three bytes in the input.
    case tooManyValues(at: Int)
    case trailingBytes(at: Int)
}

extension BencodeValue {
    /// The canonical encoding: dictionary keys sorted by raw bytes.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        encode(into: &out)
        return out
    }

    public func encode(into out: inout [UInt8]) {
        switch self {
        case .integer(let v):
            out.append(UInt8(ascii: "i"))
            out.append(contentsOf: String(v).utf8)
            out.append(UInt8(ascii: "e"))
        case .bytes(let b):
            out.append(contentsOf: String(b.count).utf8)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: b)
        case .list(let items):
            out.append(UInt8(ascii: "l"))
            for item in items { item.encode(into: &out) }
            out.append(UInt8(ascii: "e"))
        case .dictionary(let dict):
            out.append(UInt8(ascii: "d"))
            for key in dict.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                BencodeValue.bytes(key).encode(into: &out)
                dict[key]!.encode(into: &out)
            }
            out.append(UInt8(ascii: "e"))
        }
    }

    /// Decodes exactly one value spanning all of `bytes`. With `strict`, dictionary keys must be
    /// sorted and unique (as a canonical encoder writes them). Nesting is bounded by `maxDepth`,
    /// the count of values by `maxValues`.
    public static func decode(_ bytes: some Collection<UInt8>, strict: Bool = true, maxDepth: Int = 64,
                              maxValues: Int = .max) throws(BencodeError) -> BencodeValue {
        try decode(bytes, strict: strict, maxDepth: maxDepth, maxValues: maxValues, locating: nil).value
    }

    /// Decodes as `decode` does, and tells where the value of `key` in the top-level dictionary
    /// lies in `bytes`: a .torrent's info-hash is taken over the `info` value's bytes exactly as
    /// they are in the file, whatever their encoding.
    public static func decode(_ bytes: some Collection<UInt8>, strict: Bool = true, maxDepth: Int = 64, maxValues: Int = .max,
                              locating key: String?) throws(BencodeError) -> (value: BencodeValue, range: Range<Int>?) {
        var reader = BencodeReader(bytes: Array(bytes), strict: strict, maxDepth: maxDepth)
        reader.valuesLeft = maxValues
        reader.locate = key.map { Array($0.utf8) }
        let value = try reader.readValue(depth: 0)
        if reader.index != reader.bytes.count { throw .trailingBytes(at: reader.index) }
        return (value, reader.located)
    }
}

private struct BencodeReader {
    let bytes: [UInt8]
    let strict: Bool
    let maxDepth: Int
    var index = 0
    /// Values that may still be decoded.
    var valuesLeft = Int.max
    /// A key of the top-level dictionary whose value's span is wanted, and the span once read.
    var locate: [UInt8]?
    var located: Range<Int>?

    init(bytes: [UInt8], strict: Bool, maxDepth: Int) {
        self.bytes = bytes
        self.strict = strict
        self.maxDepth = maxDepth
    }

    mutating func peek() throws(BencodeError) -> UInt8 {
        guard index < bytes.count else { throw .unexpectedEnd(at: index) }
        return bytes[index]
    }

    mutating func readValue(depth: Int) throws(BencodeError) -> BencodeValue {
        guard depth <= maxDepth else { throw .tooDeep(at: index) }
        guard valuesLeft > 0 else { throw .tooManyValues(at: index) }
        valuesLeft -= 1
        switch try peek() {
        case UInt8(ascii: "i"):
            index += 1
            return .integer(try readInteger(until: UInt8(ascii: "e")))
        case UInt8(ascii: "l"):
            index += 1
            var items: [BencodeValue] = []
            while try peek() != UInt8(ascii: "e") {
                items.append(try readValue(depth: depth + 1))
            }
            index += 1
            return .list(items)
        case UInt8(ascii: "d"):
            index += 1
            var dict: [[UInt8]: BencodeValue] = [:]
            var previous: [UInt8]?
            while try peek() != UInt8(ascii: "e") {
                let keyAt = index
                let key = try readString()
                if let previous, strict, !previous.lexicographicallyPrecedes(key) {
                    throw .unsortedOrDuplicateKey(at: keyAt)
                }
                if !strict, dict[key] != nil { throw .unsortedOrDuplicateKey(at: keyAt) }
                let valueAt = index
                dict[key] = try readValue(depth: depth + 1)
                if depth == 0, key == locate { located = valueAt..<index }
                previous = key
            }
            index += 1
            return .dictionary(dict)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .bytes(try readString())
        default:
            throw .invalidByte(at: index)
        }
    }

    mutating func readString() throws(BencodeError) -> [UInt8] {
        let start = index
        guard try peek() >= UInt8(ascii: "0"), try peek() <= UInt8(ascii: "9") else { throw .invalidByte(at: index) }
        let length = try readInteger(until: UInt8(ascii: ":"))
        guard length >= 0, length <= bytes.count - index else { throw .invalidLength(at: start) }
        let value = Array(bytes[index..<index + Int(length)])
        index += Int(length)
        return value
    }

    /// Reads a decimal integer up to `terminator` (consumed). Rejects leading zeros and `-0`.
    mutating func readInteger(until terminator: UInt8) throws(BencodeError) -> Int64 {
        let start = index
        var negative = false
        if try peek() == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let digitsStart = index
        var value: Int64 = 0
        while try peek() != terminator {
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .invalidInteger(at: index) }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            if o1 || o2 { throw .invalidInteger(at: start) }
            value = s
            index += 1
        }
        let digits = index - digitsStart
        guard digits > 0 else { throw .invalidInteger(at: start) }
        if digits > 1, bytes[digitsStart] == UInt8(ascii: "0") { throw .invalidInteger(at: start) }
        if negative, value == 0 { throw .invalidInteger(at: start) }
        index += 1  // terminator
        return negative ? -value : value
    }
}
