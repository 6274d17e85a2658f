/// What one connection learned of the peers it wrote, so that most announces of a busy swarm
/// cost redis-server one plain HSET instead of the announce script. The script's own work is
/// what costs (about 18 µs of redis-server's CPU an announce, against about 1 µs for an HSET).
///
/// A steady announce, one with no event from a peer this connection wrote in the same role, to
/// a swarm whose count this connection handed over less than a second ago (so the script ran on
/// the swarm within that second: its torrents-set touch and counts stay as fresh as before) and
/// that has no expired peers left to prune page by page (the script said so), is written as
/// `HSET <role hash> <endpoint> <blob>`, the blob completed with what the script kept of the
/// stored one (key, first seen, flags; it returns them). Its answer's counts are the script's
/// last ones for the swarm (at most `countsMaxAge` old); its sample is drawn as any announce's.
/// An HSET that adds the field (the peer was gone: expired, kicked, purged, or moved to the
/// other role by another node) is undone and run as the script (`RedisBatcher`).
///
/// Bounded: at most `capacity` peers and `maxSwarms` swarms; a peer unwritten for the peer
/// timeout is dropped when room is needed (looked for at most every 10 s), and past the bound a
/// new peer is simply not remembered (its announces run the script).
struct RedisSteadyPeers {
    /// The bytes of a stored blob that announces do not set.
    struct Stored: Equatable {
        var key: UInt32
        var firstSeen: UInt32
        var flags: UInt8
        var isSeeder: Bool
        /// Seconds (the announces' clock) when this connection last wrote the peer.
        var writtenAt: UInt32
    }

    private var peers: [UInt64: Stored] = [:]
    private var swarms: [InfoHash: (counts: SwarmCounts, pruning: Bool, at: Double)] = [:]
    private let hasher = SipHash24(key: SipHash24.randomKey())
    let capacity: Int
    let maxSwarms: Int
    let peerTimeout: Int64
    /// The oldest counts a steady answer gives, in seconds.
    static let countsMaxAge = 2.0
    private var nextEviction = 0.0, nextSwarmEviction = 0.0

    init(capacity: Int = 262_144, maxSwarms: Int = 65_536, peerTimeout: Int64) {
        self.capacity = capacity
        self.maxSwarms = maxSwarms
        self.peerTimeout = peerTimeout
    }

    var count: Int { peers.count }

    /// A peer of a swarm, `announcer` its compact endpoint, as this table knows it: a keyed hash
    /// (a client cannot aim at another peer's entry), computed once per announce.
    func fingerprint(_ infoHash: InfoHash, announcer: [UInt8]) -> UInt64 {
        withUnsafeTemporaryAllocation(byteCount: 20 + announcer.count, alignment: 8) { buffer in
            infoHash.raw.withBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: 20) }
            announcer.withUnsafeBytes { (buffer.baseAddress! + 20).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            return hasher.hash(UnsafeRawBufferPointer(buffer))
        }
    }

    /// What to complete a steady announce's blob with, or nil when the announce must run the script.
    func steady(_ request: AnnounceRequest, fingerprint: UInt64, seconds: Double) -> Stored? {
        guard request.event == .none, request.rack == 0,
              let swarm = swarms[request.infoHash], !swarm.pruning, seconds - swarm.at < Self.countsMaxAge,
              let stored = peers[fingerprint], stored.isSeeder == request.isSeeder
        else { return nil }
        return stored
    }

    /// The counts of the swarm's last script answer, for a steady announce's answer.
    func counts(of infoHash: InfoHash) -> SwarmCounts? {
        swarms[infoHash]?.counts
    }

    /// Notes a script's answer: the swarm's counts and whether it is pruning, and the peer's
    /// stored bytes (9: key, first seen, flags) or its departure (none).
    mutating func learned(_ request: AnnounceRequest, fingerprint: UInt64, stored bytes: [UInt8]?, counts: SwarmCounts, pruning: Bool,
                          nowSeconds: UInt32, seconds: Double) {
        if swarms[request.infoHash] == nil, swarms.count >= maxSwarms, seconds >= nextSwarmEviction {
            nextSwarmEviction = seconds + 10
            swarms = swarms.filter { seconds - $0.value.at < Self.countsMaxAge }
        }
        if swarms[request.infoHash] != nil || swarms.count < maxSwarms { swarms[request.infoHash] = (counts, pruning, seconds) }
        guard let bytes, bytes.count == 9 else {
            peers[fingerprint] = nil
            return
        }
        let stored = Stored(key: Self.word(bytes, 0), firstSeen: Self.word(bytes, 4), flags: bytes[8], isSeeder: request.isSeeder, writtenAt: nowSeconds)
        if peers[fingerprint] == nil, peers.count >= capacity {
            evictExpired(nowSeconds: nowSeconds, seconds: seconds)
            guard peers.count < capacity else { return }
        }
        peers[fingerprint] = stored
    }

    /// Notes a steady announce written (its key may have changed).
    mutating func wrote(_ fingerprint: UInt64, _ stored: Stored) {
        peers[fingerprint] = stored
    }

    /// Forgets a peer whose steady write found it gone.
    mutating func forget(_ fingerprint: UInt64) {
        peers[fingerprint] = nil
    }

    /// What a steady announce's blob keeps, as the script would: the stored first-seen time and
    /// counted completion, and the stored key when the announce has none.
    static func next(_ request: AnnounceRequest, stored: Stored, nowSeconds: UInt32) -> Stored {
        var flags = RedisPeerBlob.flags(of: request) | (stored.flags & RedisPeerBlob.flagCompletionCounted)
        var key = request.key ?? 0
        if flags & RedisPeerBlob.flagHasKey == 0, stored.flags & RedisPeerBlob.flagHasKey != 0 {
            flags |= RedisPeerBlob.flagHasKey
            key = stored.key
        }
        return Stored(key: key, firstSeen: stored.firstSeen, flags: flags, isSeeder: stored.isSeeder, writtenAt: nowSeconds)
    }

    private mutating func evictExpired(nowSeconds: UInt32, seconds: Double) {
        guard seconds >= nextEviction else { return }
        nextEviction = seconds + 10
        let cutoff = Int64(nowSeconds) - peerTimeout
        peers = peers.filter { Int64($0.value.writtenAt) > cutoff }
    }

    private static func word(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    }
}
