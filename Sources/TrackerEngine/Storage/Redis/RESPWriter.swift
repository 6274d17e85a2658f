/// Encodes commands in Redis's wire format (RESP arrays of bulk strings) straight into one
/// buffer, for a whole pipeline: the one way commands are built here (hiredis only reads).
/// Hand the buffer to `RedisConnection.appendEncoded` once per batch.
struct RESPWriter {
    private(set) var bytes: [UInt8] = []
    /// Where each command starts in `bytes`: a command can be sent again on its own (`command(at:)`).
    private var starts: [Int] = []
    /// Commands written so far: each gets one reply.
    var commands: Int { starts.count }

    init(capacity: Int = 16_384) {
        bytes.reserveCapacity(capacity)
    }

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
    }

    /// Starts a command of `count` arguments; write exactly that many next.
    mutating func command(_ count: Int) {
        starts.append(bytes.count)
        bytes.append(UInt8(ascii: "*"))
        decimal(count)
        newline()
    }

    /// A whole command from its arguments.
    mutating func command(_ arguments: [[UInt8]]) {
        command(arguments.count)
        for argument in arguments { bulk(argument) }
    }

    mutating func command(_ arguments: [String]) {
        command(arguments.count)
        for argument in arguments { bulk(argument.utf8) }
    }

    /// The encoded bytes of the command written `index`-th.
    func command(at index: Int) -> ArraySlice<UInt8> {
        bytes[starts[index]..<(index + 1 < starts.count ? starts[index + 1] : bytes.count)]
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
