/// A small open-addressing set of 64-bit fingerprints, reused from one sample to the next
/// (cleared by bumping a stamp, not by rewriting the table).
struct FingerprintSet {
    private var slots: [UInt64] = []
    private var stamps: [UInt32] = []
    private var stamp: UInt32 = 0

    /// Empties the set, with room for `count` members at most a quarter full.
    mutating func clear(expecting count: Int) {
        var size = 64
        while size < count * 4 { size *= 2 }
        if slots.count < size {
            slots = [UInt64](repeating: 0, count: size)
            stamps = [UInt32](repeating: 0, count: size)
            stamp = 0
        }
        stamp &+= 1
        if stamp == 0 {
            for i in stamps.indices { stamps[i] = 0 }
            stamp = 1
        }
    }

    /// False when the fingerprint was already there.
    mutating func insert(_ value: UInt64) -> Bool {
        let mask = slots.count - 1
        var i = Self.home(of: value, mask: mask)
        while stamps[i] == stamp {
            if slots[i] == value { return false }
            i = (i + 1) & mask
        }
        stamps[i] = stamp
        slots[i] = value
        return true
    }

    /// Where `value` is looked for first (`mask`: the table's size less one, a power of two):
    /// the top bits of a multiplicative hash, which depend on every bit of the value. Lower bits
    /// of the product do not see the value's high bits, where the port is: every member of one
    /// address would start at the same slot.
    static func home(of value: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (value &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - mask.nonzeroBitCount))
    }

    /// A member's fingerprint: an IPv4 member's six bytes themselves, FNV-1a of longer ones (a
    /// collision drops a peer from one sample, no more).
    static func fingerprint(_ member: UnsafeRawBufferPointer) -> UInt64 {
        if member.count == 6 {
            return UInt64(member.loadUnaligned(as: UInt32.self)) | UInt64(member.loadUnaligned(fromByteOffset: 4, as: UInt16.self)) << 32
        }
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in member { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return value
    }
}
