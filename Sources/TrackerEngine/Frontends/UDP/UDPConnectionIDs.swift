import Crypto

/// BEP 15 connection ids that need no table: the first 8 bytes of an HMAC-SHA256 of the client's
/// address and a two-minute window, keyed by 32 random bytes drawn when the tracker starts. An
/// id is accepted in its window and the next, so it lives two to four minutes (BEP 15 asks for
/// at least one); nobody without the key can make one for an address it does not receive at.
/// The address alone, not the port: a NAT may move a client's port between its packets.
public struct UDPConnectionIDs: Sendable {
    public static let windowSeconds: Int64 = 120
    private let keyed: KeyedHMAC

    public init(key: [UInt8] = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }) {
        keyed = KeyedHMAC(state: HMAC<SHA256>(key: SymmetricKey(data: key)))
    }

    /// The HMAC state right after keying, copied for every id: keying hashes two blocks, a third
    /// of the work of an id.
    ///
    /// `@unchecked Sendable`: `state` is never mutated after `init`; each use copies it into a local
    /// `var`. swift-crypto's digests are copy-on-write (`isKnownUniquelyReferenced` on the shared
    /// context, then a private copy before any write), and `finalize` only reads the context, so
    /// threads that copy the same state never write memory another thread reads.
    private struct KeyedHMAC: @unchecked Sendable {
        let state: HMAC<SHA256>
    }

    public func id(for source: PeerEndpoint, now: TrackerTime) -> UInt64 {
        mac(PeerAddress(source), window: Self.window(now))
    }

    public func isValid(_ id: UInt64, from source: PeerEndpoint, now: TrackerTime) -> Bool {
        let address = PeerAddress(source), window = Self.window(now)
        return id == mac(address, window: window) || id == mac(address, window: window - 1)
    }

    private static func window(_ now: TrackerTime) -> Int64 {
        now.seconds / windowSeconds
    }

    private func mac(_ address: PeerAddress, window: Int64) -> UInt64 {
        // The message, on the stack: the address (4 or 16 bytes) then the window (8), big-endian.
        var message: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let start = withUnsafeMutableBytes(of: &message) { bytes -> Int in
            bytes.storeBytes(of: UInt64(bitPattern: window).bigEndian, toByteOffset: 16, as: UInt64.self)
            switch address {
            case .v4(let a):
                bytes.storeBytes(of: a.bigEndian, toByteOffset: 12, as: UInt32.self)
                return 12
            case let .v6(high, low):
                bytes.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
                bytes.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
                return 0
            }
        }
        var hmac = keyed.state
        withUnsafeBytes(of: &message) { hmac.update(data: UnsafeRawBufferPointer(rebasing: $0[start...])) }
        return hmac.finalize().withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }
}
