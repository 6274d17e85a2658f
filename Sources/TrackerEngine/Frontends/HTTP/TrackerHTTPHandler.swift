import CompressNIO
import NIOCore

/// Answers decoded HTTP requests: routes them, calls `TrackerLogic`, writes the replies in request
/// order (pipelined requests wait, at most `maxPending`), closes idle connections, and counts what
/// it sees. It never touches the store directly.
final class TrackerHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPRequestPart
    typealias OutboundOut = ByteBuffer

    struct Limits {
        var idleTimeout: TimeAmount = .seconds(30)
        var maxPending = 16
    }

    private let logic: TrackerLogic
    private let stats: TrackerStats
    private let connections: ConnectionLimiter
    private let limits: Limits
    private var remote: PeerEndpoint?
    private var holdsConnectionSlot = false
    private var busy = false
    private var closing = false
    /// The client half-closed: answer what it asked, then close.
    private var inputClosed = false
    private var pending = CircularBuffer<HTTPRequestPart>(initialCapacity: 1)
    private var lastActivity = NIODeadline.now()
    private var idleCheck: Scheduled<Void>?

    init(logic: TrackerLogic, stats: TrackerStats, connections: ConnectionLimiter, limits: Limits = Limits()) {
        self.logic = logic
        self.stats = stats
        self.connections = connections
        self.limits = limits
    }

    // MARK: connection lifecycle

    func channelActive(context: ChannelHandlerContext) {
        guard connections.acquire() else {
            stats.record(.connectionRefused)
            context.close(promise: nil)
            return
        }
        holdsConnectionSlot = true
        remote = context.remoteAddress.flatMap(PeerEndpoint.init)
        lastActivity = .now()
        scheduleIdleCheck(context: context, in: limits.idleTimeout)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if holdsConnectionSlot {
            holdsConnectionSlot = false
            connections.release()
        }
        idleCheck?.cancel()
        idleCheck = nil
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

    private func closeIfDone(context: ChannelHandlerContext) {
        if inputClosed, !busy, pending.isEmpty, !closing {
            closing = true
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A broken connection only ever takes itself down.
        context.close(promise: nil)
    }

    private func scheduleIdleCheck(context: ChannelHandlerContext, in delay: TimeAmount) {
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        idleCheck = context.eventLoop.scheduleTask(in: delay) {
            handler.value.checkIdle(context: boundContext.value)
        }
    }

    private func checkIdle(context: ChannelHandlerContext) {
        let idleFor = NIODeadline.now() - lastActivity
        if busy || idleFor < limits.idleTimeout {
            scheduleIdleCheck(context: context, in: busy ? limits.idleTimeout : limits.idleTimeout - idleFor)
        } else {
            context.close(promise: nil)
        }
    }

    // MARK: requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastActivity = .now()
        let part = unwrapInboundIn(data)
        if closing { return }
        if busy {
            guard pending.count < limits.maxPending else {
                closing = true
                context.close(promise: nil)
                return
            }
            pending.append(part)
            return
        }
        handle(part, context: context)
        drainPending(context: context)
    }

    private func drainPending(context: ChannelHandlerContext) {
        while !busy, !closing, let next = pending.popFirst() {
            handle(next, context: context)
        }
        closeIfDone(context: context)
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
        busy = true
        let reply = replySink(request: request, context: context)
        logic.announce(parsed, from: remote) { result in
            reply { handler, context in
                switch result {
                case .success(let answer):
                    var response = HTTPResponse(allocator: context.channel.allocator,
                                                bodyCapacity: 160 + answer.result.compactPeers.count)
                    AnnounceResponse.write(answer.result, family: answer.family, options: answer.options, into: &response.body)
                    handler.finish(response.finish(status: .ok, keepAlive: request.keepAlive, isHTTP11: request.isHTTP11),
                                   request: request, context: context)
                case .failure(let error):
                    handler.finishFailure(error, request: request, context: context)
                }
            }
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
        busy = true
        let reply = replySink(request: request, context: context)
        logic.scrape(parsed) { result in
            reply { handler, context in
                switch result {
                case .success(let entries):
                    var response = HTTPResponse(allocator: context.channel.allocator, bodyCapacity: 16 + entries.count * 80)
                    ScrapeResponse.write(entries, into: &response.body)
                    handler.finish(response.finish(status: .ok, keepAlive: request.keepAlive, isHTTP11: request.isHTTP11),
                                   request: request, context: context)
                case .failure(let error):
                    handler.finishFailure(error, request: request, context: context)
                }
            }
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
        drainPending(context: context)
    }

    private func finishFailure(_ error: ClientError, request: HTTPRequest, context: ChannelHandlerContext) {
        busy = false
        sendFailure(error, request: request, context: context)
        drainPending(context: context)
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
        lastActivity = .now()
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
        } else {
            closing = true
            pending.removeAll()
            let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(bytes)).whenComplete { _ in
                boundContext.value.close(promise: nil)
            }
        }
    }
}

@available(*, unavailable)
extension TrackerHTTPHandler: Sendable {}
