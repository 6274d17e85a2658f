/// One peer as the memory store keeps it: fixed size, inline, no references, so a swarm's peers
/// are one contiguous array. Field order is chosen for layout: PeerRecord4 is 64 bytes, PeerRecord6 80.
protocol PeerRecord: Sendable {
    associatedtype Address: Equatable
    static var compactSize: Int { get }
    var address: Address { get }
    static func indexHash(_ address: Address) -> UInt64
    /// Whom `SwarmLimits.maxPeersPerClient` counts a peer for: its IPv4 address, or its IPv6 /64.
    associatedtype Client: Hashable & Sendable
    static func client(_ address: Address) -> Client
    /// Writes the compact form (address + port, network order) at `destination`.
    func writeCompact(to destination: UnsafeMutableRawPointer)
    var endpoint: PeerEndpoint { get }
    init(address: Address)

    var uploaded: UInt64 { get set }
    var downloaded: UInt64 { get set }
    var left: UInt64 { get set }
    var peerID: Bytes20 { get set }
    var key: UInt32 { get set }
    var firstSeen: UInt32 { get set }
    var lastSeen: UInt32 { get set }
    var flags: PeerFlags { get set }
}

/// One byte of per-peer state.
struct PeerFlags: OptionSet {
    var rawValue: UInt8
    static let hasKey = PeerFlags(rawValue: 1 << 0)
    /// This peer's completion was counted; it is never counted again.
    static let completionCounted = PeerFlags(rawValue: 1 << 1)
    static let leftUnknown = PeerFlags(rawValue: 1 << 2)
    /// Bits 4-6 hold the last event.
    static let eventMask = PeerFlags(rawValue: 0b0111_0000)

    var lastEvent: AnnounceEvent {
        get { AnnounceEvent(rawValue: (rawValue & Self.eventMask.rawValue) >> 4) ?? .none }
        set { rawValue = (rawValue & ~Self.eventMask.rawValue) | (newValue.rawValue << 4) }
    }
}

extension PeerRecord {
    /// Takes what the announce says about the peer.
    mutating func update(from request: AnnounceRequest, now: UInt32) {
        uploaded = request.uploaded
        downloaded = request.downloaded
        left = request.left ?? 0
        peerID = request.peerID.raw
        lastSeen = now
        var f = flags
        if request.left == nil { f.insert(.leftUnknown) } else { f.remove(.leftUnknown) }
        if let k = request.key { key = k; f.insert(.hasKey) }
        f.lastEvent = request.event
        flags = f
    }

    func detail(isSeeder: Bool) -> PeerDetail {
        PeerDetail(
            endpoint: endpoint, peerID: PeerID(peerID), isSeeder: isSeeder,
            uploaded: uploaded, downloaded: downloaded,
            left: flags.contains(.leftUnknown) ? nil : left,
            lastEvent: flags.lastEvent, key: flags.contains(.hasKey) ? key : nil,
            firstSeen: TrackerTime(seconds: Int64(firstSeen)), lastSeen: TrackerTime(seconds: Int64(lastSeen)))
    }
}

/// The peer index's hash: Swift's `Hasher` (SipHash, keyed with a random seed per process), so
/// a client cannot choose addresses and ports that pile into one slot of a swarm's index; an
/// unkeyed mix can be inverted to do exactly that.
@inline(__always)
private func keyedHash(_ a: UInt64, _ b: UInt64 = 0, _ c: UInt16 = 0) -> UInt64 {
    var hasher = Hasher()
    hasher.combine(a)
    hasher.combine(b)
    hasher.combine(c)
    return UInt64(UInt(bitPattern: hasher.finalize()))
}

struct PeerRecord4: PeerRecord {
    var uploaded: UInt64 = 0
    var downloaded: UInt64 = 0
    var left: UInt64 = 0
    var peerID = Bytes20(a: 0, b: 0, c: 0)
    var ip: UInt32
    var key: UInt32 = 0
    var firstSeen: UInt32 = 0
    var lastSeen: UInt32 = 0
    var port: UInt16
    var flags = PeerFlags(rawValue: 0)

    static var compactSize: Int { IPv4Endpoint.compactSize }

    init(address: IPv4Endpoint) {
        ip = address.address
        port = address.port
    }

    var address: IPv4Endpoint { IPv4Endpoint(address: ip, port: port) }
    var endpoint: PeerEndpoint { .v4(address) }

    static func client(_ address: IPv4Endpoint) -> UInt32 { address.address }

    static func indexHash(_ address: IPv4Endpoint) -> UInt64 {
        keyedHash(UInt64(address.address) << 16 | UInt64(address.port))
    }

    @inline(__always)
    func writeCompact(to destination: UnsafeMutableRawPointer) {
        destination.storeBytes(of: ip.bigEndian, toByteOffset: 0, as: UInt32.self)
        destination.storeBytes(of: port.bigEndian, toByteOffset: 4, as: UInt16.self)
    }
}

struct PeerRecord6: PeerRecord {
    var uploaded: UInt64 = 0
    var downloaded: UInt64 = 0
    var left: UInt64 = 0
    var ipHigh: UInt64
    var ipLow: UInt64
    var peerID = Bytes20(a: 0, b: 0, c: 0)
    var key: UInt32 = 0
    var firstSeen: UInt32 = 0
    var lastSeen: UInt32 = 0
    var port: UInt16
    var flags = PeerFlags(rawValue: 0)

    static var compactSize: Int { IPv6Endpoint.compactSize }

    init(address: IPv6Endpoint) {
        ipHigh = address.high
        ipLow = address.low
        port = address.port
    }

    var address: IPv6Endpoint { IPv6Endpoint(high: ipHigh, low: ipLow, port: port) }
    var endpoint: PeerEndpoint { .v6(address) }

    static func client(_ address: IPv6Endpoint) -> UInt64 { address.high }

    static func indexHash(_ address: IPv6Endpoint) -> UInt64 {
        keyedHash(address.high, address.low, address.port)
    }

    @inline(__always)
    func writeCompact(to destination: UnsafeMutableRawPointer) {
        destination.storeBytes(of: ipHigh.bigEndian, toByteOffset: 0, as: UInt64.self)
        destination.storeBytes(of: ipLow.bigEndian, toByteOffset: 8, as: UInt64.self)
        destination.storeBytes(of: port.bigEndian, toByteOffset: 16, as: UInt16.self)
    }
}
