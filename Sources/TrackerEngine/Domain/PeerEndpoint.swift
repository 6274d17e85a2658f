/// An IPv4 address and port. `address` is the numeric value (a.b.c.d = a<<24 | b<<16 | c<<8 | d).
public struct IPv4Endpoint: Hashable, Sendable, CustomStringConvertible {
    public var address: UInt32
    public var port: UInt16

    public init(address: UInt32, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// Compact wire form (BEP 23): 4 address bytes then 2 port bytes, network order.
    public static let compactSize = 6

    public var addressString: String {
        "\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF)"
    }

    public var description: String { "\(addressString):\(port)" }
}

/// An IPv6 address and port. `high`/`low` are the address's two halves as numbers (network order).
public struct IPv6Endpoint: Hashable, Sendable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64
    public var port: UInt16

    public init(high: UInt64, low: UInt64, port: UInt16) {
        self.high = high
        self.low = low
        self.port = port
    }

    /// Compact wire form (BEP 7): 16 address bytes then 2 port bytes, network order.
    public static let compactSize = 18

    /// The 16 address bytes in network order.
    public var addressBytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
    }

    /// RFC 5952 text: lowercase, longest run of two or more zero groups shortened to `::`.
    public var addressString: String {
        let groups: [UInt16] = (0..<4).map { UInt16(truncatingIfNeeded: high >> (48 - 16 * $0)) }
            + (0..<4).map { UInt16(truncatingIfNeeded: low >> (48 - 16 * $0)) }
        var bestStart = -1, bestLength = 0, runStart = -1
        for i in 0...8 {
            if i < 8 && groups[i] == 0 {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                if i - runStart > bestLength { bestStart = runStart; bestLength = i - runStart }
                runStart = -1
            }
        }
        if bestLength < 2 { bestStart = -1 }
        var text = ""
        var i = 0
        while i < 8 {
            if i == bestStart {
                text += "::"
                i += bestLength
                continue
            }
            if !text.isEmpty && !text.hasSuffix(":") { text += ":" }
            text += String(groups[i], radix: 16)
            i += 1
        }
        return text
    }

    public var description: String { "[\(addressString)]:\(port)" }
}

/// Where a peer can be reached: the identity of a peer within a swarm.
public enum PeerEndpoint: Hashable, Sendable, CustomStringConvertible {
    case v4(IPv4Endpoint)
    case v6(IPv6Endpoint)

    public var port: UInt16 {
        switch self {
        case .v4(let e): return e.port
        case .v6(let e): return e.port
        }
    }

    public var addressString: String {
        switch self {
        case .v4(let e): return e.addressString
        case .v6(let e): return e.addressString
        }
    }

    /// The address alone in network order (4 or 16 bytes): BEP 24's `external ip` value.
    public var addressBytes: [UInt8] {
        switch self {
        case .v4(let e): return (0..<4).map { UInt8(truncatingIfNeeded: e.address >> (24 - 8 * $0)) }
        case .v6(let e): return e.addressBytes
        }
    }

    public var description: String {
        switch self {
        case .v4(let e): return e.description
        case .v6(let e): return e.description
        }
    }

    /// Parses the compact wire form: 6 bytes (IPv4) or 18 bytes (IPv6).
    public init?(compact bytes: some Collection<UInt8>) {
        let b = Array(bytes)
        switch b.count {
        case IPv4Endpoint.compactSize:
            let address = b[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            self = .v4(IPv4Endpoint(address: address, port: UInt16(b[4]) << 8 | UInt16(b[5])))
        case IPv6Endpoint.compactSize:
            let high = b[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let low = b[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            self = .v6(IPv6Endpoint(high: high, low: low, port: UInt16(b[16]) << 8 | UInt16(b[17])))
        default:
            return nil
        }
    }

    public var family: AddressFamily {
        if case .v6 = self { return .ipv6 }
        return .ipv4
    }

    public var isV6: Bool { family == .ipv6 }

    /// The length of the compact wire form: 6 or 18.
    public var compactSize: Int { family.compactSize }

    /// The compact wire form: 6 or 18 bytes.
    public var compact: [UInt8] {
        addressBytes + [UInt8(port >> 8), UInt8(port & 0xFF)]
    }
}

/// IPv4 or IPv6: what a peer list is made of (a reply never mixes the two).
public enum AddressFamily: Sendable, Hashable, CaseIterable {
    case ipv4, ipv6

    /// The length of an endpoint's compact wire form: 6 or 18.
    public var compactSize: Int {
        self == .ipv6 ? IPv6Endpoint.compactSize : IPv4Endpoint.compactSize
    }
}
