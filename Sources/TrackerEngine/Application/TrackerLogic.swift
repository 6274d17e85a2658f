/// The small API between the front ends and the swarms (opentracker's
/// `add_peer_to_torrent_and_return_peers`): turns a parsed request plus the connection's address
/// into a store call, and the store's answer into what the reply must say.
public struct TrackerLogic: Sendable {
    public let store: any SwarmStore
    public let policy: AnnouncePolicy
    public let clock: any TrackerClock
    /// BEP 24: tell each announcer the address it announced from.
    public let sendsExternalIP: Bool
    public let fullScrapeEnabled: Bool
    public let fullScrapeLimiter: FullScrapeLimiter
    /// At most this many info_hash per scrape.
    public let maxScrapeHashes: Int
    /// Blacklisted torrents and banned addresses, refused before the store is asked.
    public let access: AccessControl
    /// Where each announcer is: its rack's peers come first in its reply.
    public let racks: Racks

    public init(store: any SwarmStore, policy: AnnouncePolicy = AnnouncePolicy(), clock: any TrackerClock = SystemClock(),
                sendsExternalIP: Bool = true, fullScrapeEnabled: Bool = true, fullScrapeInterval: Int64 = 60,
                maxScrapeHashes: Int = 64, access: AccessControl = AccessControl(), racks: Racks = Racks()) {
        self.store = store
        self.policy = policy
        self.clock = clock
        self.sendsExternalIP = sendsExternalIP
        self.fullScrapeEnabled = fullScrapeEnabled
        self.fullScrapeLimiter = FullScrapeLimiter(interval: fullScrapeInterval)
        self.maxScrapeHashes = maxScrapeHashes
        self.access = access
        self.racks = racks
    }

    /// What an announce reply needs: the store's result and the options to write it with.
    public struct AnnounceReply: Sendable {
        public var result: AnnounceResult
        public var options: AnnounceReplyOptions
        public var family: AddressFamily
    }

    /// The announce answered on the caller's thread when the store never waits; nil otherwise
    /// (then call `announce(_:from:reply:)`). `now`: the caller's reading of the clock, if it took one.
    public func announceImmediately(_ query: AnnounceQuery, from address: PeerEndpoint,
                                    now: TrackerTime? = nil) -> Result<AnnounceReply, ClientError>? {
        let (request, options, now) = prepare(query, from: address, now: now ?? clock.now())
        if let refusal = access.refusal(for: query.infoHash, from: address, now: now) { return .failure(refusal) }
        guard let result = store.announceImmediately(request, now: now) else { return nil }
        return Self.reply(result, options: options, family: request.endpoint.family)
    }

    /// - Parameter lane: the calling frontend thread's lane (see `SwarmStoreLane`); nil: the store itself.
    public func announce(_ query: AnnounceQuery, from address: PeerEndpoint, lane: (any SwarmStoreLane)? = nil,
                         reply: @escaping @Sendable (Result<AnnounceReply, ClientError>) -> Void) {
        let (request, options, now) = prepare(query, from: address, now: clock.now())
        if let refusal = access.refusal(for: query.infoHash, from: address, now: now) { return reply(.failure(refusal)) }
        let family = request.endpoint.family
        let answer: @Sendable (Result<AnnounceResult, StoreError>) -> Void = { result in
            reply(Self.reply(result, options: options, family: family))
        }
        if let lane { lane.announce(request, now: now, reply: answer) } else { store.announce(request, now: now, reply: answer) }
    }

    /// The store's request and the reply's options for one announce.
    private func prepare(_ query: AnnounceQuery, from address: PeerEndpoint, now: TrackerTime) -> (AnnounceRequest, AnnounceReplyOptions, TrackerTime) {
        let endpoint: PeerEndpoint
        switch address {
        case .v4(var e): e.port = query.port; endpoint = .v4(e)
        case .v6(var e): e.port = query.port; endpoint = .v6(e)
        }
        let request = AnnounceRequest(
            infoHash: query.infoHash, peerID: query.peerID, endpoint: endpoint,
            uploaded: query.uploaded, downloaded: query.downloaded, left: query.left, event: query.event,
            numwant: query.event == .stopped ? 0 : policy.numwant(requested: query.numwant),
            key: query.key, wantsPeerIDs: !query.compact && !query.noPeerID, rack: racks.rack(of: address))
        let options = AnnounceReplyOptions(
            interval: policy.interval(randomValue: Self.jitterSeed(query, now)),
            minInterval: policy.minInterval, compact: query.compact, noPeerID: query.noPeerID,
            externalIP: sendsExternalIP ? address : nil)
        return (request, options, now)
    }

    private static func reply(_ result: Result<AnnounceResult, StoreError>, options: AnnounceReplyOptions,
                              family: AddressFamily) -> Result<AnnounceReply, ClientError> {
        switch result {
        case .success(let r): return .success(AnnounceReply(result: r, options: options, family: family))
        case .failure(let e): return .failure(e.clientError)
        }
    }

    /// A scrape answered on the caller's thread when the store never waits; nil otherwise (then
    /// call `scrape(_:from:lane:reply:)`). Banned addresses are refused as announces are, and
    /// blacklisted torrents are left out as if unknown.
    public func scrapeImmediately(_ query: ScrapeQuery, from address: PeerEndpoint, now: TrackerTime? = nil) -> Result<[ScrapeEntry], ClientError>? {
        let now = now ?? clock.now()
        if let refusal = access.refusal(from: address, now: now) { return .failure(refusal) }
        let hashes = access.withoutRefused(query.infoHashes) { $0 }
        if hashes.isEmpty { return .success([]) }
        return store.scrapeImmediately(hashes, now: now)?.mapError(\.clientError)
    }

    public func scrape(_ query: ScrapeQuery, from address: PeerEndpoint, lane: (any SwarmStoreLane)? = nil,
                       reply: @escaping @Sendable (Result<[ScrapeEntry], ClientError>) -> Void) {
        let now = clock.now()
        if let refusal = access.refusal(from: address, now: now) { return reply(.failure(refusal)) }
        let hashes = access.withoutRefused(query.infoHashes) { $0 }
        if hashes.isEmpty { return reply(.success([])) }
        let answer: @Sendable (Result<[ScrapeEntry], StoreError>) -> Void = { reply($0.mapError(\.clientError)) }
        if let lane { lane.scrape(hashes, now: now, reply: answer) } else { store.scrape(hashes, now: now, reply: answer) }
    }

    /// A lane for the calling frontend thread (see `SwarmStoreLane`).
    public func makeLane() -> any SwarmStoreLane {
        store.makeLane()
    }

    /// Whether `address` may have a full scrape now.
    public func admitFullScrape(from address: PeerEndpoint) -> ClientError? {
        guard fullScrapeEnabled else { return .fullScrapeDisabled }
        if let refusal = access.refusal(from: address, now: clock.now()) { return refusal }
        // Per client: rotating inside an IPv6 /64 gets no extra full scrapes.
        if let wait = fullScrapeLimiter.check(client: PeerAddress(address).client, now: clock.now()) {
            return .fullScrapeRateLimited(retryAfterSeconds: wait)
        }
        return nil
    }

    public func fullScrape() async -> Result<[ScrapeEntry], ClientError> {
        do {
            return .success(access.withoutRefused(try await store.fullScrape(now: clock.now())) { $0.infoHash })
        } catch {
            return .failure(error.clientError)
        }
    }

    /// Spreads intervals by peer and time without a shared generator.
    private static func jitterSeed(_ query: AnnounceQuery, _ now: TrackerTime) -> UInt64 {
        var h = query.peerID.raw.a ^ UInt64(bitPattern: now.milliseconds) ^ UInt64(query.port) << 48
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 29
        return h
    }
}
