import Glibc

extension PeerEndpoint {
    /// The endpoint in a socket address; IPv4-mapped IPv6 becomes IPv4.
    init?(socketAddress: sockaddr_storage) {
        var storage = socketAddress
        switch Int32(storage.ss_family) {
        case AF_INET:
            self = withUnsafeBytes(of: &storage) { raw -> PeerEndpoint in
                let sin = raw.load(as: sockaddr_in.self)
                return .v4(IPv4Endpoint(address: UInt32(bigEndian: sin.sin_addr.s_addr), port: UInt16(bigEndian: sin.sin_port)))
            }
        case AF_INET6:
            self = withUnsafeBytes(of: &storage) { raw -> PeerEndpoint in
                let sin6 = raw.load(as: sockaddr_in6.self)
                let (high, low) = withUnsafeBytes(of: sin6.sin6_addr) {
                    (UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                     UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
                }
                let port = UInt16(bigEndian: sin6.sin6_port)
                if high == 0, low >> 32 == 0xFFFF {
                    return .v4(IPv4Endpoint(address: UInt32(truncatingIfNeeded: low), port: port))
                }
                return .v6(IPv6Endpoint(high: high, low: low, port: port))
            }
        default:
            return nil
        }
    }
}
