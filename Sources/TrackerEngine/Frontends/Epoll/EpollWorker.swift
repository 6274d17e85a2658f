import CLinuxNet
import Glibc
import NIOCore

/// One thread's share of the HTTP front end: its own epoll, its own listening sockets (the kernel
/// spreads connections across workers with SO_REUSEPORT) and its own connections. With
/// TCP_DEFER_ACCEPT a connection is accepted only once its request has arrived, so the common
/// case (one request, then close) is accept → read → send → close, never registered with epoll.
/// Keep-alive, partial and send-blocked connections are registered; one waiting for the store is
/// only kept in the table until its reply arrives through the mailbox. Idle ones are closed on a
/// one-second tick. Requests that need the store go through the worker's own lane
/// (`SwarmStoreLane`): released once per round of events, its descriptor watched here with the
/// sockets while a batch is out. Everything here runs on the worker's thread only.
final class EpollWorker {
    struct Limits {
        var idleTimeoutSeconds: UInt32
        var headTimeoutSeconds: UInt32
        var maxBufferedBytes: Int
        var maxUnsentBytes: Int
    }

    private static let mailboxTag: UInt64 = 1 << 61
    private static let laneTag: UInt64 = 1 << 60
    private static let readBufferSize = 65_536

    let epoll: EpollSet
    let listeners: Listeners
    let mailbox: Mailbox
    let responder: HTTPResponder
    let lane: any SwarmStoreLane
    /// Which of the lane's connections epoll watches (see `SwarmStoreLane.waitDescriptor`).
    var watchedLaneGeneration: Int?
    let decoder: HTTPRequestDecoder
    let limits: Limits
    var connections: [Int32: HTTPConnection] = [:]
    /// Where reads land; requests are answered straight from it and only leftovers are copied.
    var scratch = ByteBufferAllocator().buffer(capacity: EpollWorker.readBufferSize)
    var generation: UInt32 = 0
    var tick: UInt32 = 0
    var nextTickAt: Int64

    init(epfd: Int32, listeners: [Int32], mailbox: Mailbox, responder: HTTPResponder, limiter: ConnectionLimiter,
         addressLimiter: AddressConnectionLimiter, decoder: HTTPRequestDecoder, limits: Limits) {
        let epoll = EpollSet(fd: epfd)
        self.epoll = epoll
        self.listeners = Listeners(listeners, epoll: epoll, limiter: limiter, addressLimiter: addressLimiter, stats: responder.stats)
        self.mailbox = mailbox
        self.responder = responder
        self.lane = responder.logic.makeLane()
        self.decoder = decoder
        self.limits = limits
        self.nextTickAt = MonotonicClock.milliseconds() + 1000
        epoll.add(mailbox.wakeFD, events: EPOLLIN.rawValue, tag: Self.mailboxTag)
    }

    func run(until stop: ThreadGroup) {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        while !stop.isStopping {
            // While a batch is out, look up often enough to give up on a silent store in time;
            // while listeners rest, often enough to bring them back on time.
            let wait: Int32 = lane.waitDescriptor == nil && !listeners.isResting ? 1000 : 100
            let count = events.withUnsafeMutableBufferPointer { epoll_wait(epoll.fd, $0.baseAddress, Int32($0.count), wait) }
            if count < 0 {
                if errno == EINTR { continue }
                break
            }
            for i in 0..<Int(count) {
                let flags = events[i].events
                let data = withUnsafePointer(to: &events[i]) { clinuxnet_epoll_data($0) }
                if data & Listeners.tag != 0 {
                    listeners.accept(tag: data) { admitted in
                        generation &+= 1
                        let connection = HTTPConnection(fd: admitted.fd, generation: generation, remote: admitted.remote,
                                                        client: admitted.client, tick: tick)
                        receive(connection)
                        settle(connection)
                    }
                } else if data == Self.mailboxTag {
                    deliverReplies()
                } else if data == Self.laneTag {
                    lane.receive()
                } else if let connection = connections[Int32(truncatingIfNeeded: data)] {
                    handle(connection, flags: flags)
                }
            }
            lane.send()
            if lane.waitDescriptor != nil {
                lane.checkStalled(now: Double(MonotonicClock.milliseconds()) / 1000)
            }
            watchLane()
            if mailbox.hasDeliveries { deliverReplies() }
            advanceClock()
            listeners.resumeIfDue()
        }
        for connection in Array(connections.values) { close(connection) }
        listeners.closeAll()
        Glibc.close(epoll.fd)
    }

    // MARK: events

    func handle(_ connection: HTTPConnection, flags: UInt32) {
        // Errors and full hang-ups are reported whatever was asked: with nothing left to read,
        // the connection is over (waiting on would make them fire again and again).
        if flags & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0, flags & EPOLLIN.rawValue == 0 || connection.inputClosed {
            close(connection)
            return
        }
        if flags & EPOLLOUT.rawValue != 0 {
            flush(connection)
            serveBuffered(connection)
        }
        if flags & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0, !connection.isClosed, connection.wantsInput {
            receive(connection)
        }
        settle(connection)
    }

    func deliverReplies() {
        for delivery in mailbox.take() {
            guard let connection = connections[delivery.fd], connection.generation == delivery.generation else { continue }
            connection.busy = false
            if !delivery.reply.keepAlive { connection.closeAfterWrite = true }
            queue(delivery.reply.bytes, on: connection)
            serveBuffered(connection)
            settle(connection)
        }
    }

    // MARK: bookkeeping

    /// Closes a connection that is done, or registers it for what it waits for.
    func settle(_ connection: HTTPConnection) {
        guard !connection.isClosed else { return }
        let waiting = connection.busy || connection.unsent != nil || connection.moreToServe
        if !waiting, connection.closeAfterWrite || connection.inputClosed {
            close(connection)
            return
        }
        if connection.busy, connection.unsent == nil, connection.registeredEvents == nil {
            // Waiting for the store: kept where its reply will find it, but not given to epoll
            // (two epoll_ctl calls saved per request); input that arrives meanwhile waits in
            // the socket and is seen once the reply is out.
            connections[connection.fd] = connection
            return
        }
        // Read only what can be answered: a connection with unsent output or a reply pending is not
        // read (its input waits in the socket and TCP pushes back on the client), and not asked
        // for EPOLLRDHUP either, which would fire level-triggered, again and again, at a client
        // that half-closed. Errors and hang-ups are reported whatever is asked.
        var wanted: UInt32 = connection.wantsInput ? EPOLLIN.rawValue | EPOLLRDHUP.rawValue : 0
        if connection.unsent != nil || connection.moreToServe { wanted |= EPOLLOUT.rawValue }
        if let registered = connection.registeredEvents {
            if registered != wanted { epoll.modify(connection.fd, events: wanted, tag: UInt64(UInt32(bitPattern: connection.fd))) }
        } else {
            epoll.add(connection.fd, events: wanted, tag: UInt64(UInt32(bitPattern: connection.fd)))
            connections[connection.fd] = connection
        }
        connection.registeredEvents = wanted
    }

    func close(_ connection: HTTPConnection) {
        guard !connection.isClosed else { return }
        connection.isClosed = true
        if connections[connection.fd] === connection {
            connections[connection.fd] = nil
        }
        // Closing the descriptor also takes it out of the epoll set.
        Glibc.close(connection.fd)
        listeners.release(client: connection.client)
        connection.registeredEvents = nil
    }

    /// Watches the lane's connection while it has a batch out; a new connection is added again
    /// (closing the old one took it out of the epoll set).
    func watchLane() {
        guard let wait = lane.waitDescriptor, wait.generation != watchedLaneGeneration else { return }
        watchedLaneGeneration = wait.generation
        epoll.addOrModify(wait.fd, events: EPOLLIN.rawValue, tag: Self.laneTag)
    }

    func advanceClock() {
        let now = MonotonicClock.milliseconds()
        guard now >= nextTickAt else { return }
        let elapsed = 1 + (now - nextTickAt) / 1000
        tick &+= UInt32(truncatingIfNeeded: elapsed)
        nextTickAt += elapsed * 1000
        var slowHeads: [HTTPConnection] = []
        var idle: [HTTPConnection] = []
        for connection in connections.values where !connection.busy {
            if let started = connection.headStartedTick, connection.unsent == nil, tick &- started >= limits.headTimeoutSeconds {
                slowHeads.append(connection)  // a head trickling in for too long: a slow-header client
            } else if tick &- connection.lastActiveTick >= limits.idleTimeoutSeconds {
                idle.append(connection)
            }
        }
        for connection in slowHeads {
            responder.stats.record(.headTimeout)
            close(connection)
        }
        for connection in idle { close(connection) }
    }
}

@available(*, unavailable)
extension EpollWorker: Sendable {}
