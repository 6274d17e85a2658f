/// BEP 15 connection ids that need no table: SipHash-2-4 of the client's address and a
/// two-minute window, keyed by 128 random bits drawn when the tracker starts. An id is accepted
/// in its window and the next, so it lives two to four minutes (BEP 15 asks for at least one);
/// nobody without the key can make one for an address it does not receive at.
/// The address alone, not the port: a NAT may move a client's port between its packets.
public struct UDPConnectionIDs: Sendable {
    public static let windowSeconds: Int64 = 120
    private let mac: SipHash24

    /// `key`: 16 bytes; random unless a test or the fuzzer needs ids it can make again.
    public init(key: [UInt8] = SipHash24.randomKey()) {
        mac = SipHash24(key: key)
    }

    public func id(for source: PeerEndpoint, now: TrackerTime) -> UInt64 {
        id(PeerAddress(source), window: Self.window(now))
    }

    public func isValid(_ id: UInt64, from source: PeerEndpoint, now: TrackerTime) -> Bool {
        let address = PeerAddress(source), window = Self.window(now)
        return id == self.id(address, window: window) || id == self.id(address, window: window - 1)
    }

    private static func window(_ now: TrackerTime) -> Int64 {
        now.seconds / windowSeconds
    }

    private func id(_ address: PeerAddress, window: Int64) -> UInt64 {
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
        return withUnsafeBytes(of: &message) { mac.hash(UnsafeRawBufferPointer(rebasing: $0[start...])) }
    }
}
