import Glibc

/// An IP address without a port: what a ban refuses.
public enum PeerAddress: Hashable, Sendable, CustomStringConvertible {
    case v4(UInt32)
    case v6(high: UInt64, low: UInt64)

    public init(_ endpoint: PeerEndpoint) {
        switch endpoint {
        case .v4(let e): self = .v4(e.address)
        case .v6(let e): self = .v6(high: e.high, low: e.low)
        }
    }

    /// Parses `1.2.3.4` or an IPv6 address (brackets allowed); an IPv4-mapped IPv6 address
    /// (`::ffff:1.2.3.4`) is its IPv4 address, as accepted connections are. nil for anything else.
    public init?(_ text: some StringProtocol) {
        var text = String(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self = .v4(UInt32(bigEndian: v4.s_addr))
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        let high = bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) }, low = bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
        if high == 0, low >> 32 == 0xFFFF {
            self = .v4(UInt32(truncatingIfNeeded: low))
            return
        }
        self = .v6(high: high, low: low)
    }

    public var description: String {
        switch self {
        case .v4(let address): return IPv4Endpoint(address: address, port: 0).addressString
        case let .v6(high, low): return IPv6Endpoint(high: high, low: low, port: 0).addressString
        }
    }
}
