import CompressNIO
import NIOCore

/// The HTTP connection: frames requests with `HTTPRequestDecoder`, routes them, calls
/// `TrackerLogic`, and writes the replies in request order. Pipelined requests wait as bytes in
/// the buffer (at most `maxBufferedBytes`) while one is answered; idle connections are closed by
/// the event loop's `IdleSweeper`. It counts what it sees and never touches the store directly.
final class TrackerHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    struct Limits {
        var idleTimeoutSeconds: UInt32 = 30
        var maxRequestLine = 8192
        var maxHeadBytes = 16384
        var maxPipelined = 16
        var maxBufferedBytes: Int { maxHeadBytes * maxPipelined }
    }

    private let logic: TrackerLogic
    private let stats: TrackerStats
    private let connections: ConnectionLimiter
    private let sweepers: IdleSweepers
    private let limits: Limits
    private var decoder: HTTPRequestDecoder
    /// Bytes received and not yet decoded.
    private var buffered: ByteBuffer?
    private var remote: PeerEndpoint?
    private var context: ChannelHandlerContext?
    private var holdsConnectionSlot = false
    private var busy = false
    private var closing = false
    /// The client half-closed: answer what it asked, then close.
    private var inputClosed = false
    private var sweeper: IdleSweeper?
    /// This connection's place in its sweeper (kept up to date by the sweeper).
    var idleSlot = -1
    private var lastActiveTick: UInt32 = 0
    /// Replies written but not flushed: pipelined replies leave together, in one write.
    private var unflushed = false

    init(logic: TrackerLogic, stats: TrackerStats, connections: ConnectionLimiter, sweepers: IdleSweepers, limits: Limits = Limits()) {
        self.logic = logic
        self.stats = stats
        self.connections = connections
        self.sweepers = sweepers
        self.limits = limits
        self.decoder = HTTPRequestDecoder(maxRequestLine: limits.maxRequestLine, maxHeadBytes: limits.maxHeadBytes)
    }

    // MARK: connection lifecycle

    func channelActive(context: ChannelHandlerContext) {
        guard connections.acquire() else {
            stats.record(.connectionRefused)
            context.close(promise: nil)
            return
        }
        holdsConnectionSlot = true
        self.context = context
        remote = context.remoteAddress.flatMap(PeerEndpoint.init)
        let sweeper = sweepers.sweeper(for: context.eventLoop)
        self.sweeper = sweeper
        lastActiveTick = sweeper.tick
        idleSlot = sweeper.add(self)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if holdsConnectionSlot {
            holdsConnectionSlot = false
            connections.release()
        }
        if let sweeper, idleSlot >= 0 {
            sweeper.remove(slot: idleSlot)
            idleSlot = -1
        }
        self.context = nil
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            inputClosed = true
            closeIfDone(context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A broken connection only ever takes itself down.
        context.close(promise: nil)
    }

    func isIdle(now tick: UInt32) -> Bool {
        !busy && tick &- lastActiveTick >= limits.idleTimeoutSeconds
    }

    func closeIdle() {
        closing = true
        context?.close(promise: nil)
    }

    private func closeIfDone(context: ChannelHandlerContext) {
        if inputClosed, !busy, !closing {
            closing = true
            context.close(promise: nil)
        }
    }

    // MARK: requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if let sweeper { lastActiveTick = sweeper.tick }
        guard !closing else { return }
        var incoming = unwrapInboundIn(data)
        if var pending = buffered {
            buffered = nil
            pending.writeBuffer(&incoming)
            incoming = pending
        }
        guard incoming.readableBytes <= limits.maxBufferedBytes else {
            closing = true
            context.close(promise: nil)
            return
        }
        buffered = incoming
        decodeAndServe(context: context)
    }

    /// Answers buffered requests one at a time until one must wait for the store or bytes run out.
    private func decodeAndServe(context: ChannelHandlerContext) {
        while !busy, !closing, var bytes = buffered {
            buffered = nil
            let part = decoder.decodeOne(&bytes)
            if bytes.readableBytes > 0 { buffered = bytes }
            guard let part else { break }
            handle(part, context: context)
        }
        if unflushed {
            unflushed = false
            context.flush()
        }
        if buffered == nil || closing { closeIfDone(context: context) }
    }

    private func handle(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        let request: HTTPRequest
        switch part {
        case .malformed(let status):
            stats.record(.badHTTPRequest)
            send(HTTPResponse.make(status: status, body: "bad request\n", keepAlive: false, isHTTP11: true,
                                   allocator: context.channel.allocator), keepAlive: false, context: context)
            return
        case .request(let r):
            request = r
        }
        guard request.method == .get else {
            stats.record(.badHTTPRequest)
            send(HTTPResponse.make(status: .methodNotAllowed, body: "only GET is served\n", keepAlive: request.keepAlive,
                                   isHTTP11: request.isHTTP11, allocator: context.channel.allocator),
                 keepAlive: request.keepAlive, context: context)
            return
        }
        guard let remote else {
            context.close(promise: nil)
            return
        }
        var target = request.target
        let (route, queryRange) = target.withUnsafeReadableBytes { HTTPRoute.parse($0) }
        target.moveReaderIndex(forwardBy: queryRange.lowerBound)
        switch route {
        case .announce:
            handleAnnounce(query: target, remote: remote, request: request, context: context)
        case .scrape:
            handleScrape(query: target, remote: remote, request: request, context: context)
        case .index:
            send(HTTPResponse.make(status: .ok, body: Self.indexPage, keepAlive: request.keepAlive,
                                   isHTTP11: request.isHTTP11, allocator: context.channel.allocator),
                 keepAlive: request.keepAlive, context: context)
        case .notFound:
            stats.record(.notFound)
            send(HTTPResponse.make(status: .notFound, body: "not found\n", keepAlive: request.keepAlive,
                                   isHTTP11: request.isHTTP11, allocator: context.channel.allocator),
                 keepAlive: request.keepAlive, context: context)
        }
    }

    private static let indexPage = """
        trackertui: a BitTorrent tracker.
        announce: /announce
        scrape:   /scrape

        """

    private func handleAnnounce(query: ByteBuffer, remote: PeerEndpoint, request: HTTPRequest, context: ChannelHandlerContext) {
        let parsed: AnnounceQuery
        do {
            parsed = try query.withUnsafeReadableBytes { raw throws(ClientError) in try AnnounceQuery.parse(raw) }
        } catch {
            sendFailure(error, request: request, context: context)
            return
        }
        stats.record(.announce)
        if case .v6 = remote { stats.record(.announceIPv6) }
        if let answer = logic.announceImmediately(parsed, from: remote) {
            finishAnnounce(answer, request: request, context: context)
            return
        }
        busy = true
        let reply = replySink(request: request, context: context)
        logic.announce(parsed, from: remote) { result in
            reply { handler, context in
                handler.busy = false
                handler.finishAnnounce(result, request: request, context: context)
                handler.decodeAndServe(context: context)
            }
        }
    }

    private func finishAnnounce(_ result: Result<TrackerLogic.AnnounceReply, ClientError>, request: HTTPRequest, context: ChannelHandlerContext) {
        switch result {
        case .success(let answer):
            var response = HTTPResponse(allocator: context.channel.allocator, bodyCapacity: 160 + answer.result.compactPeers.count)
            AnnounceResponse.write(answer.result, family: answer.family, options: answer.options, into: &response.body)
            send(response.finish(status: .ok, keepAlive: request.keepAlive, isHTTP11: request.isHTTP11),
                 keepAlive: request.keepAlive, context: context)
        case .failure(let error):
            sendFailure(error, request: request, context: context)
        }
    }

    private func handleScrape(query: ByteBuffer, remote: PeerEndpoint, request: HTTPRequest, context: ChannelHandlerContext) {
        let parsed: ScrapeQuery
        do {
            let max = logic.maxScrapeHashes
            parsed = try query.withUnsafeReadableBytes { raw throws(ClientError) in try ScrapeQuery.parse(raw, maxHashes: max) }
        } catch {
            sendFailure(error, request: request, context: context)
            return
        }
        if parsed.isFullScrape {
            handleFullScrape(remote: remote, request: request, context: context)
            return
        }
        stats.record(.scrape)
        if let entries = logic.scrapeImmediately(parsed) {
            finishScrape(entries, request: request, context: context)
            return
        }
        busy = true
        let reply = replySink(request: request, context: context)
        logic.scrape(parsed) { result in
            reply { handler, context in
                handler.busy = false
                handler.finishScrape(result, request: request, context: context)
                handler.decodeAndServe(context: context)
            }
        }
    }

    private func finishScrape(_ result: Result<[ScrapeEntry], ClientError>, request: HTTPRequest, context: ChannelHandlerContext) {
        switch result {
        case .success(let entries):
            var response = HTTPResponse(allocator: context.channel.allocator, bodyCapacity: 16 + entries.count * 80)
            ScrapeResponse.write(entries, into: &response.body)
            send(response.finish(status: .ok, keepAlive: request.keepAlive, isHTTP11: request.isHTTP11),
                 keepAlive: request.keepAlive, context: context)
        case .failure(let error):
            sendFailure(error, request: request, context: context)
        }
    }

    private func handleFullScrape(remote: PeerEndpoint, request: HTTPRequest, context: ChannelHandlerContext) {
        if let refusal = logic.admitFullScrape(from: remote) {
            sendFailure(refusal, request: request, context: context)
            return
        }
        stats.record(.fullScrape)
        busy = true
        let reply = replySink(request: request, context: context)
        let logic = self.logic
        let allocator = context.channel.allocator
        // Encoding every torrent is real work: it happens off the event loop.
        Task {
            let result = await logic.fullScrape()
            var body = allocator.buffer(capacity: 0)
            var gzip = false
            if case .success(let entries) = result {
                body.reserveCapacity(16 + entries.count * 80)
                ScrapeResponse.write(entries, into: &body)
                if request.acceptsGzip, let compressed = try? body.compress(with: .gzip(), allocator: allocator) {
                    body = compressed
                    gzip = true
                }
            }
            let encoded = body
            let compressed = gzip
            reply { handler, context in
                switch result {
                case .success:
                    var response = HTTPResponse(allocator: context.channel.allocator, bodyCapacity: encoded.readableBytes)
                    var copy = encoded
                    response.body.writeBuffer(&copy)
                    handler.finish(response.finish(status: .ok, keepAlive: request.keepAlive, isHTTP11: request.isHTTP11,
                                                   gzip: compressed),
                                   request: request, context: context)
                case .failure(let error):
                    handler.finishFailure(error, request: request, context: context)
                }
            }
        }
    }

    // MARK: replies

    typealias ReplySink = @Sendable (@escaping @Sendable (TrackerHTTPHandler, ChannelHandlerContext) -> Void) -> Void

    /// A way back to this handler on its event loop from any thread: inline when already there
    /// (the memory store answers synchronously), else by a hop.
    private func replySink(request: HTTPRequest, context: ChannelHandlerContext) -> ReplySink {
        let eventLoop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: eventLoop)
        return { body in
            if eventLoop.inEventLoop {
                body(handler.value, boundContext.value)
            } else {
                eventLoop.execute { body(handler.value, boundContext.value) }
            }
        }
    }

    private func finish(_ bytes: ByteBuffer, request: HTTPRequest, context: ChannelHandlerContext) {
        busy = false
        send(bytes, keepAlive: request.keepAlive, context: context)
        decodeAndServe(context: context)
    }

    private func finishFailure(_ error: ClientError, request: HTTPRequest, context: ChannelHandlerContext) {
        busy = false
        sendFailure(error, request: request, context: context)
        decodeAndServe(context: context)
    }

    /// Refusals are HTTP 200 with a bencoded `failure reason`: what BitTorrent clients read.
    private func sendFailure(_ error: ClientError, request: HTTPRequest, context: ChannelHandlerContext) {
        stats.record(error)
        var response = HTTPResponse(allocator: context.channel.allocator, bodyCapacity: 96)
        FailureResponse.write(error.description, into: &response.body)
        send(response.finish(status: .ok, keepAlive: request.keepAlive, isHTTP11: request.isHTTP11),
             keepAlive: request.keepAlive, context: context)
    }

    private func send(_ bytes: ByteBuffer, keepAlive: Bool, context: ChannelHandlerContext) {
        guard !closing, context.channel.isActive else { return }
        if let sweeper { lastActiveTick = sweeper.tick }
        if keepAlive {
            context.write(wrapOutboundOut(bytes), promise: nil)
            unflushed = true
        } else {
            closing = true
            buffered = nil
            let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(bytes)).whenComplete { _ in
                boundContext.value.close(promise: nil)
            }
        }
    }
}

@available(*, unavailable)
extension TrackerHTTPHandler: Sendable {}
