import Crypto

/// BEP 15 connection ids that need no table: the first 8 bytes of an HMAC-SHA256 of the client's
/// address and a two-minute window, keyed by 32 random bytes drawn when the tracker starts. An
/// id is accepted in its window and the next, so it lives two to four minutes (BEP 15 asks for
/// at least one); nobody without the key can make one for an address it does not receive at.
/// The address alone, not the port: a NAT may move a client's port between its packets.
public struct UDPConnectionIDs: Sendable {
    public static let windowSeconds: Int64 = 120
    /// The key's bytes (swift-crypto's `SymmetricKey` is not `Sendable`; one is made per MAC).
    private let key: [UInt8]

    public init(key: [UInt8] = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }) {
        self.key = key
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
        var message: [UInt8] = []
        message.reserveCapacity(24)
        switch address {
        case .v4(let a): withUnsafeBytes(of: a.bigEndian) { message += $0 }
        case let .v6(high, low):
            withUnsafeBytes(of: high.bigEndian) { message += $0 }
            withUnsafeBytes(of: low.bigEndian) { message += $0 }
        }
        withUnsafeBytes(of: window.bigEndian) { message += $0 }
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
        return code.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }
}
