import Glibc

/// One UDP worker thread: waits on its sockets (and its store lane's connection), reads what
/// arrived in batches (`recvmmsg`), answers each datagram through the responder, writing the
/// reply straight into the send batch, and sends in batches (`sendmmsg`). A reply the store gives
/// later (Redis) is sent once the lane has read it, on this same thread.
final class UDPWorker {
    /// Datagrams one system call reads or sends (the C side's bound too).
    static let batch = 64
    /// Bytes a datagram slot holds: more than any request or reply (a reply fits 1,472).
    static let slot = 2048
    /// How often the loop looks at its stop flag and at a lane batch that waits too long.
    static let tickMilliseconds: Int32 = 200

    private let sockets: [Int32]
    private let responder: UDPResponder
    private let lane: any SwarmStoreLane
    private let received = DatagramBatch(capacity: UDPWorker.batch, slotSize: UDPWorker.slot)
    private let outgoing = DatagramBatch(capacity: UDPWorker.batch, slotSize: UDPWorker.slot)
    /// The socket the replies in `outgoing` leave through (a batch goes through one socket).
    private var outgoingSocket: Int32 = -1
    /// Replies the store gave later, with their socket and destination: the lane calls back on
    /// this thread (`send`, `receive`), they are written into `outgoing` after each pass.
    private let later = Locked<[(socket: Int32, to: sockaddr_storage, reply: UDPReply)]>([])
    /// Each socket's running count of datagrams the kernel dropped, as last reported.
    private var kernelDrops: [UInt32]

    init(sockets: [Int32], responder: UDPResponder) {
        self.sockets = sockets
        self.responder = responder
        self.lane = responder.logic.makeLane()
        kernelDrops = Array(repeating: 0, count: sockets.count)
    }

    func run(until stop: ThreadGroup) {
        defer { sockets.forEach { _ = close($0) } }
        var fds = sockets.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        while !stop.isStopping {
            fds.removeLast(fds.count - sockets.count)
            let laneWait = lane.waitDescriptor
            if let laneWait { fds.append(pollfd(fd: laneWait.fd, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), Self.tickMilliseconds)
            if ready > 0 {
                if laneWait != nil, fds[sockets.count].revents != 0 { lane.receive() }
                for i in sockets.indices where fds[i].revents & Int16(POLLIN) != 0 { read(socketAt: i) }
            }
            lane.send()
            _ = lane.checkStalled(now: MonotonicClock.seconds())
            let replies = later.update { waiting -> [(socket: Int32, to: sockaddr_storage, reply: UDPReply)] in
                guard !waiting.isEmpty else { return [] }
                defer { waiting = [] }
                return waiting
            }
            for pending in replies {
                queue(pending.reply, through: pending.socket, to: pending.to)
            }
            flush()
        }
    }

    /// Reads one batch from the socket and answers each datagram.
    private func read(socketAt index: Int) {
        let socket = sockets[index]
        var drops = kernelDrops[index]
        let count = received.receive(from: socket, dropped: &drops)
        if drops != kernelDrops[index] {
            responder.stats.record(.udpReceiveDropped, count: UInt64(drops &- kernelDrops[index]))
            kernelDrops[index] = drops
        }
        for i in 0..<count {
            guard let source = PeerEndpoint(socketAddress: received.addresses[i]) else { continue }
            switch responder.respond(to: received.datagram(i), from: source) {
            case .reply(let reply):
                queue(reply, through: socket, to: received.addresses[i])
            case .pending(let pending):
                let later = self.later, destination = received.addresses[i]
                responder.start(pending, lane: lane) { reply in later.update { $0.append((socket, destination, reply)) } }
            case .ignored:
                break
            }
        }
        flush()
    }

    /// Writes `reply` into the next send slot, sending the batch first when it is full or bound
    /// for another socket.
    private func queue(_ reply: UDPReply, through socket: Int32, to destination: sockaddr_storage) {
        if outgoing.isFull || (outgoing.count > 0 && outgoingSocket != socket) { flush() }
        let i = outgoing.count
        outgoing.lengths[i] = UInt32(reply.write(into: outgoing.slot(i)))
        outgoing.addresses[i] = destination
        outgoing.count += 1
        outgoingSocket = socket
    }

    private func flush() {
        guard outgoing.count > 0 else { return }
        let unsent = outgoing.send(through: outgoingSocket)
        if unsent > 0 { responder.stats.record(.udpSendDropped, count: UInt64(unsent)) }
    }
}

@available(*, unavailable)
extension UDPWorker: Sendable {}
