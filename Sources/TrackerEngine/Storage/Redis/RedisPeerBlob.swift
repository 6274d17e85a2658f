/// A peer as one 57-byte value in its swarm's seeders or leechers hash (little-endian):
/// peer id (20) · key (4) · uploaded (8) · downloaded (8) · left (8) · first seen s (4) ·
/// last seen s (4) · flags (1). Flags: 1 has key, 2 completion counted, 4 left unknown,
/// bits 4-6 the last event. The Lua scripts read the key, first-seen and last-seen bytes and
/// the flags at these offsets (last seen is what expires a peer): `Lua/layout.lua` holds the
/// same values, and a test holds the two to one layout.
enum RedisPeerBlob {
    static let size = 57
    static let keyOffset = 20
    static let uploadedOffset = 24
    static let downloadedOffset = 32
    static let leftOffset = 40
    static let firstSeenOffset = 48
    static let lastSeenOffset = 52
    static let flagsOffset = 56
    static let flagHasKey: UInt8 = 1
    static let flagCompletionCounted: UInt8 = 2
    static let flagLeftUnknown: UInt8 = 4
    /// The announce argument's mode byte: the event, plus this for a seeder.
    static let modeSeeder: UInt8 = 128
    /// The announce argument before the blob, as the script's `struct.unpack` reads it.
    static let announceFormat = "<BI4I4I2I4I4I2"
    /// Bytes before the blob in the announce argument.
    static let announceHeaderSize = 21

    /// The announce script's second argument (`RedisScripts.announce`): mode (event, +128 for a
    /// seeder), now s, cutoff s (peers last seen then or before are expired), prune page size,
    /// announces to add to the swarm's count (`RedisAnnounceCounts`), then the blob; one argument,
    /// because each argument costs the script call.
    static func writeAnnounceArgument(_ request: AnnounceRequest, nowSeconds: UInt32, cutoffSeconds: UInt32, pageSize: UInt16,
                                      counted: UInt32, limits: SwarmLimits, into writer: inout RESPWriter) {
        writer.bulk(length: announceHeaderSize + size) { out in
            out.append(request.event.rawValue | (request.isSeeder ? modeSeeder : 0))
            append(nowSeconds, to: &out)
            append(cutoffSeconds, to: &out)
            append(pageSize, to: &out)
            append(counted, to: &out)
            append(UInt32(clamping: limits.maxTorrents), to: &out)
            append(UInt16(clamping: limits.maxPeersPerClient), to: &out)
            appendBlob(request, nowSeconds: nowSeconds, to: &out)
        }
    }

    /// The flags an announce gives its blob.
    static func flags(of request: AnnounceRequest) -> UInt8 {
        var flags = request.event.rawValue << 4
        if request.key != nil { flags |= flagHasKey }
        if request.left == nil { flags |= flagLeftUnknown }
        return flags
    }

    /// Appends an announce's blob. The script keeps a stored blob's first seen, key and counted
    /// completion itself; a steady announce (`RedisSteadyPeers`) passes them as `kept`.
    static func appendBlob(_ request: AnnounceRequest, nowSeconds: UInt32, kept: (key: UInt32, firstSeen: UInt32, flags: UInt8)? = nil,
                           to out: inout [UInt8]) {
        out += request.peerID.bytes
        append(kept?.key ?? request.key ?? 0, to: &out)
        append(request.uploaded, to: &out)
        append(request.downloaded, to: &out)
        append(request.left ?? 0, to: &out)
        append(kept?.firstSeen ?? nowSeconds, to: &out)
        append(nowSeconds, to: &out)
        out.append(kept?.flags ?? flags(of: request))
    }

    static func decode(_ blob: [UInt8], endpoint: PeerEndpoint, isSeeder: Bool) -> PeerDetail? {
        guard blob.count == size, let peerID = PeerID(bytes: blob[0..<keyOffset]) else { return nil }
        let flags = blob[flagsOffset]
        return PeerDetail(
            endpoint: endpoint, peerID: peerID, isSeeder: isSeeder,
            uploaded: read(blob, uploadedOffset, as: UInt64.self), downloaded: read(blob, downloadedOffset, as: UInt64.self),
            left: flags & flagLeftUnknown != 0 ? nil : read(blob, leftOffset, as: UInt64.self),
            lastEvent: AnnounceEvent(rawValue: (flags >> 4) & 7) ?? .none,
            key: flags & flagHasKey != 0 ? read(blob, keyOffset, as: UInt32.self) : nil,
            firstSeen: TrackerTime(seconds: Int64(read(blob, firstSeenOffset, as: UInt32.self))),
            lastSeen: TrackerTime(seconds: Int64(read(blob, lastSeenOffset, as: UInt32.self))))
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out += $0 }
    }

    private static func read<T: FixedWidthInteger>(_ blob: [UInt8], _ offset: Int, as: T.Type) -> T {
        blob.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }
}
