import Dispatch
import TrackerEngine

/// A store that never answers at once: it answers from another thread after `delay`, as the
/// Redis store will. Wraps a memory store for the data.
public final class DelayedStore: SwarmStore {
    public let inner = MemorySwarmStore(shardCount: 1)
    public let delay: DispatchTimeInterval

    public init(delay: DispatchTimeInterval = .milliseconds(20)) {
        self.delay = delay
    }

    public func announce(_ request: AnnounceRequest, now: TrackerTime, reply: @escaping @Sendable (Result<AnnounceResult, StoreError>) -> Void) {
        let inner = self.inner
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) {
            reply(inner.announceImmediately(request, now: now)!)
        }
    }

    public func scrape(_ infoHashes: [InfoHash], now: TrackerTime, reply: @escaping @Sendable (Result<[ScrapeEntry], StoreError>) -> Void) {
        let inner = self.inner
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) {
            reply(.success(inner.scrape(infoHashes)))
        }
    }

    public func fullScrape(now: TrackerTime) async throws(StoreError) -> [ScrapeEntry] { try await inner.fullScrape(now: now) }
    public func expire(now: TrackerTime) async throws(StoreError) -> Int { try await inner.expire(now: now) }
    public func torrents(activeSince: TrackerTime?, limit: Int?, now: TrackerTime) async throws(StoreError) -> [TorrentInfo] {
        try await inner.torrents(activeSince: activeSince, limit: limit, now: now)
    }
    public func health() async -> StoreHealth { await inner.health() }
    public func peers(of infoHash: InfoHash, now: TrackerTime) async throws(StoreError) -> [PeerDetail] { try await inner.peers(of: infoHash, now: now) }
    public func remove(peer: PeerEndpoint, from infoHash: InfoHash) async throws(StoreError) -> Bool { try await inner.remove(peer: peer, from: infoHash) }
    public func purge(_ infoHash: InfoHash) async throws(StoreError) -> Bool { try await inner.purge(infoHash) }
    public func deregister(_ torrent: ArchivedTorrent) async throws(StoreError) -> ArchivedTorrent { try await inner.deregister(torrent) }
    public func archive(limit: Int) async throws(StoreError) -> [ArchivedTorrent] { try await inner.archive(limit: limit) }
}
