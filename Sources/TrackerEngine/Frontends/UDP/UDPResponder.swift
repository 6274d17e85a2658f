/// What the tracker answers to one UDP datagram (BEP 15), whatever carries it: parse, verify the
/// connection id, call `TrackerLogic`, build the reply. No transport: the caller hands in the
/// datagram and its source, and writes the `UDPReply` into its datagram buffer.
public struct UDPResponder: Sendable {
    public let logic: TrackerLogic
    public let stats: TrackerStats
    public let connectionIDs: UDPConnectionIDs

    public init(logic: TrackerLogic, stats: TrackerStats = TrackerStats(), connectionIDs: UDPConnectionIDs = UDPConnectionIDs()) {
        self.logic = logic
        self.stats = stats
        self.connectionIDs = connectionIDs
    }

    /// Why a datagram got no reply: nothing goes back to a source that is not verified.
    public enum Silence: Sendable, Equatable {
        /// Not a request: too short, an unknown action, a connect without the protocol id.
        case malformed
        /// A connection id this tracker did not give to this address, or gave too long ago.
        case badConnectionID
    }

    /// Work that waits for the store (verified and counted already).
    public struct PendingReply: Sendable {
        enum Work: Sendable {
            case announce(AnnounceQuery, PeerEndpoint)
            case scrape(ScrapeQuery, PeerEndpoint)
        }

        let work: Work
        let transactionID: UInt32
    }

    public enum Outcome: Sendable {
        case reply(UDPReply)
        case pending(PendingReply)
        case ignored(Silence)
    }

    /// Answers `datagram` from `source`: a reply at once when the store never waits, pending
    /// work to `start` otherwise, or silence (counted).
    public func respond(to datagram: UnsafeRawBufferPointer, from source: PeerEndpoint) -> Outcome {
        guard let request = UDPRequest.parse(datagram) else { return ignore(.malformed) }
        let now = logic.clock.now()
        switch request {
        case .connect(let transactionID):
            stats.record(.udpConnect)
            return .reply(.connect(transactionID: transactionID, connectionID: connectionIDs.id(for: source, now: now)))
        case let .announce(connectionID, transactionID, parsed):
            guard connectionIDs.isValid(connectionID, from: source, now: now) else { return ignore(.badConnectionID) }
            stats.record(.announce)
            stats.record(.udpAnnounce)
            if source.isV6 { stats.record(.announceIPv6) }
            return announce(parsed, transactionID: transactionID, from: source, now: now)
        case let .scrape(connectionID, transactionID, hashes):
            guard connectionIDs.isValid(connectionID, from: source, now: now) else { return ignore(.badConnectionID) }
            stats.record(.scrape)
            stats.record(.udpScrape)
            let query = ScrapeQuery(infoHashes: hashes)
            guard let result = logic.scrapeImmediately(query, from: source, now: now) else {
                return .pending(PendingReply(work: .scrape(query, source), transactionID: transactionID))
            }
            return .reply(scrapeReply(result, asked: hashes, transactionID: transactionID))
        }
    }

    /// Starts pending work through the caller's `lane`; `reply` is called once, on the lane's
    /// thread (see `SwarmStoreLane`).
    public func start(_ pending: PendingReply, lane: any SwarmStoreLane, reply: @escaping @Sendable (UDPReply) -> Void) {
        let transactionID = pending.transactionID
        switch pending.work {
        case let .announce(query, source):
            logic.announce(query, from: source, lane: lane) { reply(self.announceReply($0, transactionID: transactionID)) }
        case let .scrape(query, source):
            logic.scrape(query, from: source, lane: lane) {
                reply(self.scrapeReply($0, asked: query.infoHashes, transactionID: transactionID))
            }
        }
    }

    private func ignore(_ silence: Silence) -> Outcome {
        stats.record(.udpIgnored)
        return .ignored(silence)
    }

    private func announce(_ parsed: Result<UDPAnnounce, ClientError>, transactionID: UInt32, from source: PeerEndpoint,
                          now: TrackerTime) -> Outcome {
        let announce: UDPAnnounce
        switch parsed {
        case .success(let parsed): announce = parsed
        case .failure(let error): return .reply(errorReply(error, refusing: .udpAnnounceRefused, transactionID: transactionID))
        }
        var query = announce.query
        // The reply must fit one datagram: at most 200 IPv4 or 74 IPv6 peers, whatever was asked
        // (num_want -1, nil here, is the tracker's default) and whatever the policy allows.
        query.numwant = min(query.numwant ?? logic.policy.numwantDefault, UDPReply.maxPeers(source.family))
        guard let result = logic.announceImmediately(query, from: source, now: now) else {
            return .pending(PendingReply(work: .announce(query, source), transactionID: transactionID))
        }
        return .reply(announceReply(result, transactionID: transactionID))
    }

    private func announceReply(_ result: Result<TrackerLogic.AnnounceReply, ClientError>, transactionID: UInt32) -> UDPReply {
        switch result {
        case .success(let answer):
            return .announce(transactionID: transactionID, interval: answer.options.interval, counts: answer.result.counts,
                             compactPeers: answer.result.compactPeers)
        case .failure(let error):
            return errorReply(error, refusing: .udpAnnounceRefused, transactionID: transactionID)
        }
    }

    /// The counts in the order asked; hashes the store does not know are zeros.
    private func scrapeReply(_ result: Result<[ScrapeEntry], ClientError>, asked: [InfoHash], transactionID: UInt32) -> UDPReply {
        switch result {
        case .success(let entries):
            var known: [InfoHash: SwarmCounts] = [:]
            for entry in entries { known[entry.infoHash] = entry.counts }
            return .scrape(transactionID: transactionID, counts: asked.map { known[$0] ?? SwarmCounts(seeders: 0, leechers: 0, completed: 0) })
        case .failure(let error):
            return errorReply(error, refusing: .udpScrapeRefused, transactionID: transactionID)
        }
    }

    /// Action 3, counted by reason and as a refused announce or scrape.
    private func errorReply(_ error: ClientError, refusing request: TrackerStats.Event, transactionID: UInt32) -> UDPReply {
        stats.record(error)
        stats.record(.udpFailure)
        stats.record(request)
        return .error(transactionID: transactionID, message: error.description)
    }
}
