/// SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed pseudorandom function for short
/// messages, with a 128-bit key. Used where a MAC must cost nanoseconds, not a microsecond:
/// swift-crypto's HMAC spends about 0.8 µs per UDP connection id in its generic wrappers,
/// a tenth of an announce. The standard library's `Hasher` is SipHash too, but its key is not
/// ours to choose and can be turned off (SWIFT_DETERMINISTIC_HASHING).
public struct SipHash24: Sendable {
    private let k0: UInt64
    private let k1: UInt64

    /// `key`: 16 bytes (two little-endian words, as the reference implementation reads them).
    public init(key: [UInt8]) {
        precondition(key.count == 16, "SipHash takes a 128-bit key")
        k0 = key.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 0, as: UInt64.self).littleEndian }
        k1 = key.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian }
    }

    /// A key of 16 bytes from the system's secure random source.
    public static func randomKey() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    public func hash(_ message: UnsafeRawBufferPointer) -> UInt64 {
        var state = State(k0: k0, k1: k1)
        let whole = message.count & ~7
        for offset in stride(from: 0, to: whole, by: 8) {
            state.absorb(message.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian)
        }
        // The last word: the leftover bytes, little-endian, and the length's low byte on top.
        var last = UInt64(truncatingIfNeeded: message.count) << 56
        for i in whole..<message.count { last |= UInt64(message[i]) << (8 * UInt64(i - whole)) }
        state.absorb(last)
        return state.finish()
    }

    private struct State {
        var v0, v1, v2, v3: UInt64

        init(k0: UInt64, k1: UInt64) {
            v0 = k0 ^ 0x736F_6D65_7073_6575
            v1 = k1 ^ 0x646F_7261_6E64_6F6D
            v2 = k0 ^ 0x6C79_6765_6E65_7261
            v3 = k1 ^ 0x7465_6462_7974_6573
        }

        mutating func absorb(_ word: UInt64) {
            v3 ^= word
            round()
            round()
            v0 ^= word
        }

        mutating func finish() -> UInt64 {
            v2 ^= 0xFF
            for _ in 0..<4 { round() }
            return v0 ^ v1 ^ v2 ^ v3
        }

        private mutating func round() {
            v0 &+= v1; v1 = rotate(v1, 13); v1 ^= v0; v0 = rotate(v0, 32)
            v2 &+= v3; v3 = rotate(v3, 16); v3 ^= v2
            v0 &+= v3; v3 = rotate(v3, 21); v3 ^= v0
            v2 &+= v1; v1 = rotate(v1, 17); v1 ^= v2; v2 = rotate(v2, 32)
        }

        private func rotate(_ x: UInt64, _ bits: UInt64) -> UInt64 {
            x << bits | x >> (64 - bits)
        }
    }
}
