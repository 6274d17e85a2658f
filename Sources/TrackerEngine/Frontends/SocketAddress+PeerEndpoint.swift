import NIOCore

extension PeerEndpoint {
    /// The endpoint of a connection's remote address; IPv4-mapped IPv6 addresses become IPv4.
    /// nil for unix sockets.
    public init?(_ address: SocketAddress) {
        switch address {
        case .v4(let a):
            self = .v4(IPv4Endpoint(address: UInt32(bigEndian: a.address.sin_addr.s_addr),
                                    port: UInt16(bigEndian: a.address.sin_port)))
        case .v6(let a):
            var sin6 = a.address
            let (high, low) = withUnsafeBytes(of: &sin6.sin6_addr) { raw -> (UInt64, UInt64) in
                (UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                 UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            }
            let port = UInt16(bigEndian: sin6.sin6_port)
            if high == 0, low >> 32 == 0xFFFF {
                self = .v4(IPv4Endpoint(address: UInt32(truncatingIfNeeded: low), port: port))
            } else {
                self = .v6(IPv6Endpoint(high: high, low: low, port: port))
            }
        case .unixDomainSocket:
            return nil
        }
    }
}
