import CompressNIO
import NIOCore

/// What the tracker answers to one HTTP request, whatever carries the bytes: route, parse,
/// call `TrackerLogic`, write the reply, count. A reply is ready at once when the store never
/// waits; otherwise the caller gets a `PendingReply` to start, which answers on any thread.
public struct HTTPResponder: Sendable {
    public let logic: TrackerLogic
    public let stats: TrackerStats
    /// Reverse proxies allowed to name the client (`X-Forwarded-For`, `X-Real-IP`).
    public let trustedProxies: TrustedProxies
    /// Torrent names for scrape replies (BEP 48's optional `name`), when there is a catalog.
    public let catalog: TorrentCatalog?
    /// `/stats`, `/stats.json`, `/metrics`; nil: not served (404).
    public let web: (any WebPages)?
    /// False on a listener for the web pages alone (`--admin`): announces and scrapes get 404 there.
    public let servesTracker: Bool
    private let allocator = ByteBufferAllocator()

    public init(logic: TrackerLogic, stats: TrackerStats, trustedProxies: TrustedProxies = TrustedProxies(), catalog: TorrentCatalog? = nil,
                web: (any WebPages)? = nil, servesTracker: Bool = true) {
        self.web = web
        self.servesTracker = servesTracker
        self.logic = logic
        self.stats = stats
        self.trustedProxies = trustedProxies
        self.catalog = catalog
    }

    /// Writes `entries` with the names the catalog knows (one look at it per reply).
    private func writeScrape(_ entries: [ScrapeEntry], into buffer: inout ByteBuffer) {
        let named = catalog?.all ?? [:]
        ScrapeResponse.write(entries, names: { named[$0]?.metainfo.name }, into: &buffer)
    }

    /// Bytes to send, and whether the connection stays open after them.
    public struct Reply: Sendable {
        public var bytes: ByteBuffer
        public var keepAlive: Bool
    }

    /// How the reply must be framed: taken from the request, which is not kept.
    public struct Framing: Sendable {
        var keepAlive: Bool
        var isHTTP11: Bool
        var acceptsGzip: Bool

        init(_ request: HTTPRequest) {
            keepAlive = request.keepAlive
            isHTTP11 = request.isHTTP11
            acceptsGzip = request.acceptsGzip
        }
    }

    /// Work that waits for the store.
    public struct PendingReply: Sendable {
        enum Work: Sendable {
            case announce(AnnounceQuery, PeerEndpoint)
            case scrape(ScrapeQuery, PeerEndpoint)
            case fullScrape
            case web(any WebPages, WebPage, query: String)
        }

        let work: Work
        let framing: Framing
    }

    public enum Outcome: Sendable {
        case reply(Reply)
        case pending(PendingReply)
    }

    // MARK: answering

    /// - Parameter connection: the address the request came from; a trusted proxy's requests
    ///   are answered for the client it names.
    public func respond(to part: HTTPRequestPart, from connection: PeerEndpoint) -> Outcome {
        let request: HTTPRequest
        switch part {
        case .malformed(let status):
            stats.record(.badHTTPRequest)
            return .reply(page(status, "bad request\n", keepAlive: false, isHTTP11: true))
        case .request(let r):
            request = r
        }
        let remote = trustedProxies.isEmpty
            ? connection : trustedProxies.client(of: connection, forwardedFor: request.forwardedFor, realIP: request.realIP)
        let framing = Framing(request)
        guard request.method == .get else {
            stats.record(.badHTTPRequest)
            return .reply(page(.methodNotAllowed, "only GET is served\n", keepAlive: framing.keepAlive, isHTTP11: framing.isHTTP11))
        }
        var target = request.target
        let (route, queryRange) = target.withUnsafeReadableBytes { HTTPRoute.parse($0) }
        target.moveReaderIndex(forwardBy: queryRange.lowerBound)
        switch servesTracker ? route : route.webOnly {
        case .announce:
            return announce(query: target, remote: remote, framing: framing)
        case .scrape:
            return scrape(query: target, remote: remote, framing: framing)
        case .index:
            return .reply(page(.ok, Self.indexPage, keepAlive: framing.keepAlive, isHTTP11: framing.isHTTP11))
        case .web(let which):
            // The peer the connection came from decides, never a forwarded header.
            guard let web else {
                stats.record(.notFound)
                return .reply(page(.notFound, "not found\n", keepAlive: framing.keepAlive, isHTTP11: framing.isHTTP11))
            }
            guard web.isAllowed(connection) else {
                return .reply(page(.forbidden, "forbidden: --stats-allow does not list your address\n", keepAlive: framing.keepAlive, isHTTP11: framing.isHTTP11))
            }
            let query = String(decoding: target.readableBytesView.prefix(2048), as: UTF8.self)
            return .pending(PendingReply(work: .web(web, which, query: query), framing: framing))
        case .notFound:
            stats.record(.notFound)
            return .reply(page(.notFound, "not found\n", keepAlive: framing.keepAlive, isHTTP11: framing.isHTTP11))
        }
    }

    /// Starts pending work through the caller's `lane`; `completion` is called once, on the lane's
    /// thread (see `SwarmStoreLane`) or, for a full scrape, on any thread.
    public func start(_ pending: PendingReply, lane: any SwarmStoreLane, completion: @escaping @Sendable (Reply) -> Void) {
        let framing = pending.framing
        switch pending.work {
        case let .announce(query, remote):
            logic.announce(query, from: remote, lane: lane) { result in
                completion(self.announceReply(result, framing: framing))
            }
        case let .scrape(query, remote):
            logic.scrape(query, from: remote, lane: lane) { result in
                completion(self.scrapeReply(result, framing: framing))
            }
        case .fullScrape:
            // Encoding every torrent is real work: it happens off the front end's thread.
            Task {
                completion(self.fullScrapeReply(await self.logic.fullScrape(), framing: framing))
            }
        case let .web(web, which, query):
            Task {
                let body = await web.render(which, query: query)
                var response = HTTPResponse(allocator: allocator, bodyCapacity: body.bytes.count)
                response.body.writeBytes(body.bytes)
                completion(Reply(bytes: response.finish(status: body.status, contentType: body.contentType, keepAlive: framing.keepAlive,
                                                        isHTTP11: framing.isHTTP11), keepAlive: framing.keepAlive))
            }
        }
    }

    private static let indexPage = """
        trackertui: a BitTorrent tracker.
        announce: /announce
        scrape:   /scrape

        """

    private func announce(query: ByteBuffer, remote: PeerEndpoint, framing: Framing) -> Outcome {
        stats.record(.announce)
        if case .v6 = remote { stats.record(.announceIPv6) }
        let parsed: AnnounceQuery
        do {
            parsed = try query.withUnsafeReadableBytes { raw throws(ClientError) in try AnnounceQuery.parse(raw) }
        } catch {
            return .reply(failure(error, refusing: .announceRefused, framing: framing))
        }
        guard let result = logic.announceImmediately(parsed, from: remote) else {
            return .pending(PendingReply(work: .announce(parsed, remote), framing: framing))
        }
        return .reply(announceReply(result, framing: framing))
    }

    private func scrape(query: ByteBuffer, remote: PeerEndpoint, framing: Framing) -> Outcome {
        let parsed: ScrapeQuery
        do {
            let max = logic.maxScrapeHashes
            parsed = try query.withUnsafeReadableBytes { raw throws(ClientError) in try ScrapeQuery.parse(raw, maxHashes: max) }
        } catch {
            stats.record(.scrape)
            return .reply(failure(error, refusing: .scrapeRefused, framing: framing))
        }
        if parsed.isFullScrape {
            if let refusal = logic.admitFullScrape(from: remote) {
                return .reply(failure(refusal, refusing: nil, framing: framing))
            }
            stats.record(.fullScrape)
            return .pending(PendingReply(work: .fullScrape, framing: framing))
        }
        stats.record(.scrape)
        guard let result = logic.scrapeImmediately(parsed, from: remote) else {
            return .pending(PendingReply(work: .scrape(parsed, remote), framing: framing))
        }
        return .reply(scrapeReply(result, framing: framing))
    }

    // MARK: writing

    private func announceReply(_ result: Result<TrackerLogic.AnnounceReply, ClientError>, framing: Framing) -> Reply {
        switch result {
        case .success(let answer):
            var response = HTTPResponse(allocator: allocator, bodyCapacity: 160 + answer.result.compactPeers.count)
            AnnounceResponse.write(answer.result, family: answer.family, options: answer.options, into: &response.body)
            return Reply(bytes: response.finish(status: .ok, keepAlive: framing.keepAlive, isHTTP11: framing.isHTTP11),
                         keepAlive: framing.keepAlive)
        case .failure(let error):
            return failure(error, refusing: .announceRefused, framing: framing)
        }
    }

    private func scrapeReply(_ result: Result<[ScrapeEntry], ClientError>, framing: Framing) -> Reply {
        switch result {
        case .success(let entries):
            var response = HTTPResponse(allocator: allocator, bodyCapacity: 16 + entries.count * 80)
            writeScrape(entries, into: &response.body)
            return Reply(bytes: response.finish(status: .ok, keepAlive: framing.keepAlive, isHTTP11: framing.isHTTP11),
                         keepAlive: framing.keepAlive)
        case .failure(let error):
            return failure(error, refusing: .scrapeRefused, framing: framing)
        }
    }

    private func fullScrapeReply(_ result: Result<[ScrapeEntry], ClientError>, framing: Framing) -> Reply {
        let entries: [ScrapeEntry]
        switch result {
        case .success(let all): entries = all
        case .failure(let error): return failure(error, refusing: nil, framing: framing)
        }
        var body = allocator.buffer(capacity: 16 + entries.count * 80)
        writeScrape(entries, into: &body)
        var gzip = false
        if framing.acceptsGzip, let compressed = try? body.compress(with: .gzip(), allocator: allocator) {
            body = compressed
            gzip = true
        }
        var response = HTTPResponse(allocator: allocator, bodyCapacity: body.readableBytes)
        response.body.writeBuffer(&body)
        return Reply(bytes: response.finish(status: .ok, keepAlive: framing.keepAlive, isHTTP11: framing.isHTTP11, gzip: gzip),
                     keepAlive: framing.keepAlive)
    }

    /// Refusals are HTTP 200 with a bencoded `failure reason`: what BitTorrent clients read.
    /// Counted by reason, and as a refused announce or scrape when `refusing` names one.
    private func failure(_ error: ClientError, refusing request: TrackerStats.Event?, framing: Framing) -> Reply {
        stats.record(error)
        if let request { stats.record(request) }
        var response = HTTPResponse(allocator: allocator, bodyCapacity: 96)
        FailureResponse.write(error.description, into: &response.body)
        return Reply(bytes: response.finish(status: .ok, keepAlive: framing.keepAlive, isHTTP11: framing.isHTTP11),
                     keepAlive: framing.keepAlive)
    }

    private func page(_ status: HTTPStatus, _ text: String, keepAlive: Bool, isHTTP11: Bool) -> Reply {
        Reply(bytes: HTTPResponse.make(status: status, body: text, keepAlive: keepAlive, isHTTP11: isHTTP11, allocator: allocator),
              keepAlive: keepAlive)
    }
}
