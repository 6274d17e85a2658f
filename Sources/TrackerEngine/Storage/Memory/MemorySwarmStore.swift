import Atomics
import Logging

/// Swarms kept in this process: 256 shards keyed by info-hash, each behind its own lock, so
/// announces for different torrents rarely wait for each other. Answers synchronously.
public final class MemorySwarmStore: SwarmStore {
    /// Seconds after its last announce that a peer is dropped.
    public let peerTimeout: Int64
    /// Seconds an empty swarm with completions is kept (its `downloaded` count) after its last activity.
    public let torrentRetention: Int64
    public let limits: SwarmLimits
    private let shards: [Shard]
    /// Swarms held, across shards: checked against `limits.maxTorrents` when an announce would start one.
    private let torrentCount = ManagedAtomic(0)
    /// Deregistered torrents' lifecycles.
    private let archived: ArchiveFile

    private final class Shard: Sendable {
        let state = Locked(State())

        struct State: Sendable {
            var swarms: [InfoHash: MemorySwarm] = [:]
            var rng = FastRandom()
        }
    }

    /// `archivePath`: the file deregistered torrents are kept in (nil: in memory only).
    public init(peerTimeout: Int64 = 3660, torrentRetention: Int64 = 30 * 86_400, shardCount: Int = 256,
                limits: SwarmLimits = SwarmLimits(), archivePath: String? = nil, logger: Logger = Logger(label: "trackertui.store")) {
        precondition(shardCount > 0 && shardCount & (shardCount - 1) == 0, "shardCount must be a power of two")
        self.peerTimeout = peerTimeout
        self.torrentRetention = torrentRetention
        self.limits = limits
        self.shards = (0..<shardCount).map { _ in Shard() }
        self.archived = ArchiveFile(path: archivePath, logger: logger)
    }

    @inline(__always)
    private func shard(for infoHash: InfoHash) -> Shard {
        shards[shardIndex(for: infoHash)]
    }

    /// Keyed per process (Swift's `Hasher`): a client may announce any info_hash, and with the
    /// hash's own bits it could choose thousands that land in one shard and its lock.
    @inline(__always)
    func shardIndex(for infoHash: InfoHash) -> Int {
        var hasher = Hasher()
        hasher.combine(infoHash)
        return hasher.finalize() & (shards.count - 1)
    }

    private static func seconds(_ now: TrackerTime) -> UInt32 {
        UInt32(clamping: now.seconds)
    }

    // MARK: hot path

    public func announceImmediately(_ request: AnnounceRequest, now: TrackerTime) -> Result<AnnounceResult, StoreError>? {
        announceInShard(request, now: now)
    }

    public func scrapeImmediately(_ infoHashes: [InfoHash], now: TrackerTime) -> Result<[ScrapeEntry], StoreError>? {
        .success(scrape(infoHashes))
    }

    public func announce(_ request: AnnounceRequest, now: TrackerTime, reply: @escaping @Sendable (Result<AnnounceResult, StoreError>) -> Void) {
        reply(announceInShard(request, now: now))
    }

    private func announceInShard(_ request: AnnounceRequest, now: TrackerTime) -> Result<AnnounceResult, StoreError> {
        let nowSeconds = Self.seconds(now)
        let maxPeersPerClient = limits.maxPeersPerClient
        return shard(for: request.infoHash).state.update { state in
            if state.swarms[request.infoHash] == nil {
                if request.event == .stopped {
                    return .success(AnnounceResult(counts: SwarmCounts()))  // an unknown peer leaving: nothing to create
                }
                guard torrentCount.loadThenWrappingIncrement(ordering: .relaxed) < limits.maxTorrents else {
                    torrentCount.wrappingDecrement(ordering: .relaxed)
                    return .failure(.tooManyTorrents)
                }
                state.swarms[request.infoHash] = MemorySwarm(now: nowSeconds)
            }
            return state.swarms[request.infoHash]!.announce(request, now: nowSeconds, maxPeersPerClient: maxPeersPerClient, rng: &state.rng)
        }
    }

    public func scrape(_ infoHashes: [InfoHash], now: TrackerTime, reply: @escaping @Sendable (Result<[ScrapeEntry], StoreError>) -> Void) {
        reply(.success(scrape(infoHashes)))
    }

    public func scrape(_ infoHashes: [InfoHash]) -> [ScrapeEntry] {
        var entries: [ScrapeEntry] = []
        entries.reserveCapacity(infoHashes.count)
        for infoHash in infoHashes {
            let counts = shard(for: infoHash).state.update { $0.swarms[infoHash]?.counts }
            if let counts { entries.append(ScrapeEntry(infoHash: infoHash, counts: counts)) }
        }
        return entries
    }

    // MARK: listing and upkeep

    public func fullScrape(now: TrackerTime) async throws(StoreError) -> [ScrapeEntry] {
        var entries: [ScrapeEntry] = []
        for shard in shards {
            shard.state.update { state in
                for (infoHash, swarm) in state.swarms where swarm.hasPeers || swarm.lifecycle.completed > 0 {
                    entries.append(ScrapeEntry(infoHash: infoHash, counts: swarm.counts))
                }
            }
        }
        return entries
    }

    public func expire(now: TrackerTime) async throws(StoreError) -> Int {
        expireNow(now)
    }

    /// Sweeps one shard at a time, so announces wait at most for one shard's sweep.
    public func expireNow(_ now: TrackerTime) -> Int {
        let nowSeconds = Self.seconds(now)
        let deadline = UInt32(clamping: Int64(nowSeconds) - peerTimeout)
        let forgetBefore = UInt32(clamping: Int64(nowSeconds) - torrentRetention)
        var dropped = 0
        for shard in shards {
            dropped += shard.state.update { state in
                var count = 0
                var forget: [InfoHash] = []
                for key in state.swarms.keys {
                    count += state.swarms[key]!.expire(seenAtOrBefore: deadline)
                    let swarm = state.swarms[key]!
                    if !swarm.hasPeers, swarm.lifecycle.completed == 0 || swarm.lifecycle.lastActivity <= forgetBefore {
                        forget.append(key)
                    }
                }
                for key in forget { state.swarms[key] = nil }
                torrentCount.wrappingDecrement(by: forget.count, ordering: .relaxed)
                return count
            }
        }
        return dropped
    }

    public func torrents(activeSince: TrackerTime?, limit: Int?, now: TrackerTime) async throws(StoreError) -> [TorrentInfo] {
        var out: [TorrentInfo] = []
        let since = activeSince.map { UInt32(clamping: $0.seconds) } ?? 0
        for shard in shards {
            shard.state.update { state in
                for (infoHash, swarm) in state.swarms where swarm.lifecycle.lastActivity >= since { out.append(swarm.info(infoHash)) }
            }
        }
        if let limit, out.count > limit {
            out.sort { $0.lastActivity > $1.lastActivity }
            out.removeLast(out.count - limit)
        }
        return out
    }

    public func health() async -> StoreHealth {
        StoreHealth(state: .inProcess, latencyMicros: nil, description: "memory")
    }

    public func peers(of infoHash: InfoHash, now: TrackerTime) async throws(StoreError) -> [PeerDetail] {
        shard(for: infoHash).state.update { $0.swarms[infoHash]?.details() ?? [] }
    }

    public func remove(peer: PeerEndpoint, from infoHash: InfoHash) async throws(StoreError) -> Bool {
        shard(for: infoHash).state.update { state in
            state.swarms[infoHash]?.remove(peer) ?? false
        }
    }

    public func purge(_ infoHash: InfoHash) async throws(StoreError) -> Bool {
        let removed = shard(for: infoHash).state.update { $0.swarms.removeValue(forKey: infoHash) != nil }
        if removed { torrentCount.wrappingDecrement(ordering: .relaxed) }
        return removed
    }

    public func deregister(_ torrent: ArchivedTorrent) async throws(StoreError) -> ArchivedTorrent {
        if let done = archived.record(of: torrent.infoHash, deregisteredAt: torrent.deregistered) { return done }
        let swarm = shard(for: torrent.infoHash).state.update { $0.swarms.removeValue(forKey: torrent.infoHash) }
        if swarm != nil { torrentCount.wrappingDecrement(ordering: .relaxed) }
        var record = torrent
        record.lifecycle = swarm?.info(torrent.infoHash)
        _ = try archived.add(record)
        return record
    }

    public func archive(limit: Int) async throws(StoreError) -> [ArchivedTorrent] {
        archived.newest(limit)
    }

    /// Peers and torrents held, for stats and the memory benchmark.
    public func totals() -> (torrents: Int, peers: Int) {
        var torrents = 0, peers = 0
        for shard in shards {
            shard.state.update { state in
                torrents += state.swarms.count
                for swarm in state.swarms.values { peers += swarm.counts.peers }
            }
        }
        return (torrents, peers)
    }
}
