/// Encodes commands in Redis's wire format (RESP arrays of bulk strings) straight into one
/// buffer, for a whole pipeline: the announce path's alternative to one argument array per
/// command and hiredis's printf-style formatting of each. Hand the buffer to
/// `RedisConnection.appendEncoded` once per batch.
struct RESPWriter {
    private(set) var bytes: [UInt8] = []
    /// Commands written so far: each gets one reply.
    private(set) var commands = 0

    init(capacity: Int = 16_384) {
        bytes.reserveCapacity(capacity)
    }

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        commands = 0
    }

    /// Starts a command of `count` arguments; write exactly that many next.
    mutating func command(_ count: Int) {
        bytes.append(UInt8(ascii: "*"))
        decimal(count)
        newline()
        commands += 1
    }

    mutating func bulk(_ argument: some Collection<UInt8>) {
        header(argument.count)
        bytes.append(contentsOf: argument)
        newline()
    }

    /// One argument made of two parts (a key: the swarm's base, then its suffix).
    mutating func bulk(_ first: [UInt8], _ second: StaticString) {
        header(first.count + second.utf8CodeUnitCount)
        bytes += first
        second.withUTF8Buffer { bytes.append(contentsOf: $0) }
        newline()
    }

    /// One argument of `length` bytes that `write` appends straight to the buffer (no array of its own).
    mutating func bulk(length: Int, _ write: (inout [UInt8]) -> Void) {
        header(length)
        let start = bytes.count
        write(&bytes)
        precondition(bytes.count - start == length, "a bulk argument must be as long as announced")
        newline()
    }

    mutating func bulk(_ text: StaticString) {
        text.withUTF8Buffer { bulk($0) }
    }

    mutating func bulk(_ value: Int64) {
        header((value < 0 ? 1 : 0) + ASCIIDecimal.digitCount(value.magnitude))
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        decimal(value.magnitude)
        newline()
    }

    mutating func bulk(_ value: Int) {
        bulk(Int64(value))
    }

    private mutating func header(_ length: Int) {
        bytes.append(UInt8(ascii: "$"))
        decimal(length)
        newline()
    }

    private mutating func decimal(_ value: Int) {
        decimal(UInt64(value))
    }

    private mutating func decimal(_ value: UInt64) {
        if value < 10 {  // lengths and counts mostly
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        ASCIIDecimal.withDigits(value) { bytes.append(contentsOf: $0) }
    }

    private mutating func newline() {
        bytes.append(UInt8(ascii: "\r"))
        bytes.append(UInt8(ascii: "\n"))
    }
}
