/// Decimal numbers as ASCII digits, written without allocating: the one way every wire format
/// here (bencode, RESP, HTTP heads) spells a number.
public enum ASCIIDecimal {
    /// How many digits `value` has (at least one).
    @inlinable
    public static func digitCount(_ value: UInt64) -> Int {
        var count = 1, rest = value
        while rest >= 10 { rest /= 10; count += 1 }
        return count
    }

    /// Calls `body` with the digits of `value` (most significant first), from a stack buffer.
    @inlinable
    public static func withDigits<R>(_ value: UInt64, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for UInt64.max's 20 digits
        return withUnsafeMutableBytes(of: &scratch) { digits in
            var rest = value, start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            return body(UnsafeRawBufferPointer(rebasing: digits[start...]))
        }
    }
}
