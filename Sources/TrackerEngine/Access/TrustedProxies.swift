import Foundation

/// Reverse proxies whose word on the client's address is taken. Only a connection from one of
/// these ranges may name its client, through `X-Forwarded-For` (the right-most address that is
/// not itself a trusted proxy: entries to its left were written by the client and may be lies)
/// or `X-Real-IP`; from anyone else both headers are ignored, so a client cannot pick the address
/// it is tracked, banned and limited as.
public struct TrustedProxies: Sendable {
    public let ranges: [AddressRange]

    public init(_ ranges: [AddressRange] = []) {
        self.ranges = ranges
    }

    public var isEmpty: Bool { ranges.isEmpty }

    public func contains(_ address: PeerAddress) -> Bool {
        ranges.contains { $0.contains(address) }
    }

    /// The client a request comes from: `connection` itself unless it is a trusted proxy that
    /// names a valid client in `forwardedFor` or `realIP` (raw header values).
    public func client(of connection: PeerEndpoint, forwardedFor: [UInt8]?, realIP: [UInt8]?) -> PeerEndpoint {
        guard !ranges.isEmpty, contains(PeerAddress(connection)) else { return connection }
        if let forwardedFor {
            for entry in forwardedFor.split(separator: UInt8(ascii: ",")).reversed() {
                guard let address = Self.address(entry) else { break }
                if contains(address) { continue }
                return Self.endpoint(address, port: connection.port)
            }
        }
        if let realIP, let address = Self.address(realIP[...]) {
            return Self.endpoint(address, port: connection.port)
        }
        return connection
    }

    private static func address(_ bytes: ArraySlice<UInt8>) -> PeerAddress? {
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        guard text.count <= 64 else { return nil }
        return PeerAddress(text)
    }

    private static func endpoint(_ address: PeerAddress, port: UInt16) -> PeerEndpoint {
        switch address {
        case .v4(let a): return .v4(IPv4Endpoint(address: a, port: port))
        case let .v6(high, low): return .v6(IPv6Endpoint(high: high, low: low, port: port))
        }
    }
}
