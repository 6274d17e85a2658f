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
        var length = value < 0 ? 2 : 1
        var rest = value.magnitude / 10
        while rest > 0 { length += 1; rest /= 10 }
        header(length)
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

    /// Digits written from the end of a small stack buffer, then appended in one go.
    private mutating func decimal(_ value: UInt64) {
        if value < 10 {  // lengths and counts mostly
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var rest = value, start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    private mutating func newline() {
        bytes.append(UInt8(ascii: "\r"))
        bytes.append(UInt8(ascii: "\n"))
    }
}
