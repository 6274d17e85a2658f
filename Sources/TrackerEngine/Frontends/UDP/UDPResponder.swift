import NIOCore

/// What the tracker answers to one UDP datagram (BEP 15), whatever carries it: parse, verify the
/// connection id, call `TrackerLogic`, write the reply. No transport: the caller hands in the
/// datagram and its source and sends what `reply` is given.
public struct UDPResponder: Sendable {
    public let logic: TrackerLogic
    public let stats: TrackerStats
    public let connectionIDs: UDPConnectionIDs
    private let allocator = ByteBufferAllocator()

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

    /// Answers `datagram` from `source`: `reply` gets the bytes to send back, exactly once (at
    /// once when the store never waits, later otherwise), unless the datagram is ignored; then
    /// the reason is returned and `reply` is never called.
    @discardableResult
    public func respond(to datagram: UnsafeRawBufferPointer, from source: PeerEndpoint, lane: (any SwarmStoreLane)? = nil,
                        reply: @escaping @Sendable (ByteBuffer) -> Void) -> Silence? {
        let silence = answer(datagram, from: source, lane: lane, reply: reply)
        if silence != nil { stats.record(.udpIgnored) }
        return silence
    }

    private func answer(_ datagram: UnsafeRawBufferPointer, from source: PeerEndpoint, lane: (any SwarmStoreLane)?,
                        reply: @escaping @Sendable (ByteBuffer) -> Void) -> Silence? {
        guard let request = UDPRequest.parse(datagram) else { return .malformed }
        let now = logic.clock.now()
        switch request {
        case .connect(let transactionID):
            stats.record(.udpConnect)
            var buffer = allocator.buffer(capacity: UDPResponse.connectSize)
            UDPResponse.writeConnect(transactionID: transactionID, connectionID: connectionIDs.id(for: source, now: now), into: &buffer)
            reply(buffer)
        case let .announce(connectionID, transactionID, parsed):
            guard connectionIDs.isValid(connectionID, from: source, now: now) else { return .badConnectionID }
            stats.record(.announce)
            stats.record(.udpAnnounce)
            if source.isV6 { stats.record(.announceIPv6) }
            announce(parsed, transactionID: transactionID, from: source, lane: lane, reply: reply)
        case let .scrape(connectionID, transactionID, hashes):
            guard connectionIDs.isValid(connectionID, from: source, now: now) else { return .badConnectionID }
            stats.record(.scrape)
            stats.record(.udpScrape)
            scrape(hashes, transactionID: transactionID, from: source, lane: lane, reply: reply)
        }
        return nil
    }

    private func announce(_ parsed: Result<UDPAnnounce, ClientError>, transactionID: UInt32, from source: PeerEndpoint,
                          lane: (any SwarmStoreLane)?, reply: @escaping @Sendable (ByteBuffer) -> Void) {
        let announce: UDPAnnounce
        switch parsed {
        case .success(let parsed): announce = parsed
        case .failure(let error): return reply(errorReply(error, transactionID: transactionID))
        }
        var query = announce.query
        // The reply must fit one datagram: at most 200 IPv4 or 74 IPv6 peers, whatever was asked
        // (num_want -1, nil here, is the tracker's default) and whatever the policy allows.
        query.numwant = min(query.numwant ?? logic.policy.numwantDefault, UDPResponse.maxPeers(source.family))
        // A store that answers at once is answered without a closure (the hot path allocates none).
        if let immediate = logic.announceImmediately(query, from: source) {
            return reply(announceReply(immediate, transactionID: transactionID))
        }
        logic.announce(query, from: source, lane: lane) { [self] in reply(announceReply($0, transactionID: transactionID)) }
    }

    private func scrape(_ hashes: [InfoHash], transactionID: UInt32, from source: PeerEndpoint, lane: (any SwarmStoreLane)?,
                        reply: @escaping @Sendable (ByteBuffer) -> Void) {
        let query = ScrapeQuery(infoHashes: hashes)
        if let immediate = logic.scrapeImmediately(query, from: source) {
            return reply(scrapeReply(immediate, asked: hashes, transactionID: transactionID))
        }
        logic.scrape(query, from: source, lane: lane) { [self] in reply(scrapeReply($0, asked: hashes, transactionID: transactionID)) }
    }

    private func announceReply(_ result: Result<TrackerLogic.AnnounceReply, ClientError>, transactionID: UInt32) -> ByteBuffer {
        switch result {
        case .success(let answer):
            var buffer = allocator.buffer(capacity: 20 + answer.result.compactPeers.count)
            UDPResponse.writeAnnounce(transactionID: transactionID, interval: answer.options.interval, counts: answer.result.counts,
                                      compactPeers: answer.result.compactPeers, into: &buffer)
            return buffer
        case .failure(let error):
            return errorReply(error, transactionID: transactionID)
        }
    }

    private func scrapeReply(_ result: Result<[ScrapeEntry], ClientError>, asked: [InfoHash], transactionID: UInt32) -> ByteBuffer {
        switch result {
        case .success(let entries):
            var buffer = allocator.buffer(capacity: 8 + 12 * asked.count)
            UDPResponse.writeScrape(transactionID: transactionID, asked: asked, entries: entries, into: &buffer)
            return buffer
        case .failure(let error):
            return errorReply(error, transactionID: transactionID)
        }
    }

    /// Action 3, counted by reason.
    private func errorReply(_ error: ClientError, transactionID: UInt32) -> ByteBuffer {
        stats.record(error)
        stats.record(.udpFailure)
        var buffer = allocator.buffer(capacity: 8 + error.description.utf8.count)
        UDPResponse.writeError(transactionID: transactionID, error, into: &buffer)
        return buffer
    }
}
