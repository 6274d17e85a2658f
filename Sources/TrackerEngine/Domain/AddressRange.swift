/// A block of addresses, written as CIDR (`203.0.113.0/24`, `2001:db8:1:2::/64`) or as one
/// address (a /32 or a /128): what a ban refuses. The address is kept masked to its prefix, so
/// two ways of writing the same block are the same range.
public struct AddressRange: Hashable, Sendable, CustomStringConvertible {
    public let base: PeerAddress
    /// Leading bits that count: 0...32 for IPv4, 0...128 for IPv6.
    public let prefixLength: Int

    public init(_ address: PeerAddress, prefixLength: Int? = nil) {
        let full = address.isIPv4 ? 32 : 128
        let length = min(max(prefixLength ?? full, 0), full)
        self.base = address.masked(to: length)
        self.prefixLength = length
    }

    /// What a moderator means by banning this address: its client (`PeerAddress.client`).
    public static func banning(_ address: PeerAddress) -> AddressRange {
        AddressRange(address, prefixLength: address.clientPrefixLength)
    }

    /// Parses `ADDRESS` or `ADDRESS/LENGTH`; an IPv4-mapped IPv6 address is its IPv4 address
    /// (its length less 96). nil for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let address = PeerAddress(first) else { return nil }
        var length: Int?
        if parts.count == 2 {
            guard let n = Int(parts[1]), parts[1].allSatisfy(\.isASCII), n >= 0 else { return nil }
            let mapped = first.contains(":") && address.isIPv4
            let limit = mapped || !address.isIPv4 ? 128 : 32
            guard n <= limit else { return nil }
            if mapped {
                guard n >= 96 else { return nil }
                length = n - 96
            } else {
                length = n
            }
        }
        self.init(address, prefixLength: length)
    }

    public func contains(_ address: PeerAddress) -> Bool {
        address.isIPv4 == base.isIPv4 && address.masked(to: prefixLength) == base
    }

    public var isSingleAddress: Bool { prefixLength == (base.isIPv4 ? 32 : 128) }

    public var description: String { isSingleAddress ? base.description : "\(base)/\(prefixLength)" }
}

extension PeerAddress {
    public var isIPv4: Bool {
        if case .v4 = self { return true }
        return false
    }

    /// One client, as every per-client limit counts it: an IPv4 address, or an IPv6 address's /64
    /// (a home gets a /64 and its hosts rotate addresses inside it).
    public var client: PeerAddress { masked(to: clientPrefixLength) }
    public var clientPrefixLength: Int { isIPv4 ? 32 : 64 }

    /// The address with every bit past the first `length` cleared.
    public func masked(to length: Int) -> PeerAddress {
        switch self {
        case .v4(let a):
            return .v4(length >= 32 ? a : length <= 0 ? 0 : a & ~(UInt32.max >> UInt32(length)))
        case let .v6(high, low):
            if length >= 128 { return self }
            if length <= 0 { return .v6(high: 0, low: 0) }
            if length <= 64 { return .v6(high: length == 64 ? high : high & ~(UInt64.max >> UInt64(length)), low: 0) }
            return .v6(high: high, low: low & ~(UInt64.max >> UInt64(length - 64)))
        }
    }
}
