/// Where swarms live. One contract, two backends (memory, Redis), one conformance
/// suite (`Tests/TrackerEngineTests/SwarmStoreConformanceTests.swift`) run against each.
///
/// The contract:
/// - `announce` registers or updates the announcing peer and answers the swarm's counts *after*
///   the announce, plus up to `request.numwant` peers of the announcer's address family:
///   - never the announcer itself; a seeder gets leechers only; a leecher gets seeders and leechers;
///   - `stopped` removes the peer (an unknown peer's `stopped` is answered too) and returns no peers;
///   - a completion is counted once per peer, only when a known leecher announces `completed` with
///     `left=0`; the peer becomes a seeder;
///   - peer identity is the endpoint (IP + port) within a swarm; IPv4 and IPv6 peers are kept
///     apart (served as `peers` / `peers6`) but counted together;
///   - with `wantsPeerIDs`, `peerIDs` lists the chosen peers' ids in the same order.
/// - `scrape` answers counts for the torrents the store knows, in any order; unknown hashes are left out.
/// - `fullScrape` answers every torrent with peers or completions.
/// - `expire` drops peers not seen for the store's peer timeout and forgets empty swarms that have
///   nothing worth keeping; it returns how many peers it dropped.
/// - `torrents(activeSince:now:)` lists torrents with their counts and lifecycle, all of them or
///   only those announced to since a time, the most recent `limit` of them (the dashboard's
///   cheap, bounded refresh; a store may note
///   activity coarsely, Redis at most every 10 s per swarm). Its counts may include peers past
///   their deadline until the next prune or sweep. `peers(of:now:)` lists
///   one swarm's peers with their detail.
/// - `health` says whether the store answers and how fast (a round trip through its queue).
/// - `remove(peer:from:)` drops one peer now (a kick); `purge` drops a whole swarm, counts included.
/// - `deregister` drops a whole swarm like `purge` and keeps its lifecycle in the store's archive,
///   with the record it is given (name, registration, deregistration time); it answers the record
///   as archived. Given the same deregistration again (another node following the change), it
///   archives nothing more. `archive(limit:)` lists the archive, the newest deregistration first.
/// - Time is always passed in; a store never reads a clock.
///
/// The hot calls (`announce`, `scrape`) answer through a callback so that a store that can answer at
/// once (memory) does so on the caller's thread with no task or future, and one that cannot (Redis)
/// answers later, on the thread that reads the server's reply (the lane's or a store thread).
/// `reply` is called exactly once. A store that never waits also
/// offers `announceImmediately`/`scrapeImmediately`, which spare the hot path its closures;
/// the others return nil there.
///
/// Frontends call through a lane of their own (`makeLane()`, see `SwarmStoreLane`): a store that
/// batches (Redis) gets each round of a frontend's events as one batch, on the frontend's thread.
public protocol SwarmStore: AnyObject, Sendable {
    func announceImmediately(_ request: AnnounceRequest, now: TrackerTime) -> Result<AnnounceResult, StoreError>?
    func scrapeImmediately(_ infoHashes: [InfoHash], now: TrackerTime) -> Result<[ScrapeEntry], StoreError>?
    func announce(_ request: AnnounceRequest, now: TrackerTime, reply: @escaping @Sendable (Result<AnnounceResult, StoreError>) -> Void)
    func scrape(_ infoHashes: [InfoHash], now: TrackerTime, reply: @escaping @Sendable (Result<[ScrapeEntry], StoreError>) -> Void)
    /// A lane for the calling thread, to be used by that thread only.
    func makeLane() -> any SwarmStoreLane
    func fullScrape(now: TrackerTime) async throws(StoreError) -> [ScrapeEntry]
    func expire(now: TrackerTime) async throws(StoreError) -> Int
    func torrents(activeSince: TrackerTime?, limit: Int?, now: TrackerTime) async throws(StoreError) -> [TorrentInfo]
    func peers(of infoHash: InfoHash, now: TrackerTime) async throws(StoreError) -> [PeerDetail]
    @discardableResult
    func remove(peer: PeerEndpoint, from infoHash: InfoHash) async throws(StoreError) -> Bool
    @discardableResult
    func purge(_ infoHash: InfoHash) async throws(StoreError) -> Bool
    @discardableResult
    func deregister(_ torrent: ArchivedTorrent) async throws(StoreError) -> ArchivedTorrent
    func archive(limit: Int) async throws(StoreError) -> [ArchivedTorrent]
    func health() async -> StoreHealth
}

/// Why a store could not answer. Only `unavailable` is worth telling a client in detail.
public enum StoreError: Error, Sendable, Equatable {
    case unavailable
    /// The store is at its memory bound (Redis `maxmemory` with `noeviction`): nothing was written.
    case full
    /// `SwarmLimits.maxTorrents` swarms exist; the announce would start another.
    case tooManyTorrents
    /// The announcer's address (IPv6: its /64) has `SwarmLimits.maxPeersPerClient` peers in the swarm.
    case tooManyPeersFromClient
    case failed(String)

    public var clientError: ClientError {
        switch self {
        case .unavailable: return .storageUnavailable
        case .full: return .storageFull
        case .tooManyTorrents: return .trackerFull
        case .tooManyPeersFromClient: return .tooManyPeersFromAddress
        case .failed: return .internalError
        }
    }
}

extension SwarmStore {
    public func announceImmediately(_ request: AnnounceRequest, now: TrackerTime) -> Result<AnnounceResult, StoreError>? { nil }
    public func scrapeImmediately(_ infoHashes: [InfoHash], now: TrackerTime) -> Result<[ScrapeEntry], StoreError>? { nil }

    public func makeLane() -> any SwarmStoreLane {
        DirectLane(store: self)
    }

    public func torrents(now: TrackerTime) async throws(StoreError) -> [TorrentInfo] {
        try await torrents(activeSince: nil, limit: nil, now: now)
    }

    /// `announce` for callers that can wait (tests, tools).
    public func announce(_ request: AnnounceRequest, now: TrackerTime) async throws(StoreError) -> AnnounceResult {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<AnnounceResult, StoreError>, Never>) in
            announce(request, now: now) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    /// `scrape` for callers that can wait (tests, tools).
    public func scrape(_ infoHashes: [InfoHash], now: TrackerTime) async throws(StoreError) -> [ScrapeEntry] {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<[ScrapeEntry], StoreError>, Never>) in
            scrape(infoHashes, now: now) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }
}
