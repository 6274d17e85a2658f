import Glibc
import NIOCore

/// One UDP worker thread: waits on its sockets (and its store lane's connection), reads what
/// arrived, answers each datagram through the responder, and sends the replies. A reply the
/// store gives later (Redis) is sent once the lane has read it, on this same thread.
final class UDPWorker {
    /// Datagrams read from one socket before the others get their turn.
    static let batch = 64
    /// How often the loop looks at its stop flag and at a lane batch that waits too long.
    static let tickMilliseconds: Int32 = 200

    private let sockets: [Int32]
    private let responder: UDPResponder
    private let lane: any SwarmStoreLane
    /// Replies to send: which socket, to whom, what. Filled on this thread only (replies are
    /// given during `respond`, the lane's `send` or `receive`), drained after each pass.
    private let outbox = Locked<[(socket: Int32, to: sockaddr_storage, bytes: ByteBuffer)]>([])
    private var buffer = [UInt8](repeating: 0, count: 2048)

    init(sockets: [Int32], responder: UDPResponder) {
        self.sockets = sockets
        self.responder = responder
        self.lane = responder.logic.makeLane()
    }

    func run(until stop: ThreadGroup) {
        defer { sockets.forEach { _ = close($0) } }
        while !stop.isStopping {
            var fds = sockets.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let laneWait = lane.waitDescriptor
            if let laneWait { fds.append(pollfd(fd: laneWait.fd, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), Self.tickMilliseconds)
            if ready > 0 {
                if laneWait != nil, fds[sockets.count].revents != 0 { lane.receive() }
                for (i, socket) in sockets.enumerated() where fds[i].revents & Int16(POLLIN) != 0 { read(socket) }
            }
            lane.send()
            _ = lane.checkStalled(now: MonotonicClock.seconds())
            flush()
        }
    }

    /// Reads up to `batch` datagrams from `socket` and answers each.
    private func read(_ socket: Int32) {
        let outbox = self.outbox
        for _ in 0..<Self.batch {
            var source = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let count = buffer.withUnsafeMutableBytes { bytes in
                withUnsafeMutablePointer(to: &source) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(socket, bytes.baseAddress, bytes.count, 0, $0, &length) }
                }
            }
            guard count >= 0 else { return }  // EAGAIN: nothing more for now
            guard let from = PeerEndpoint(socketAddress: source) else { continue }
            let to = source
            buffer.withUnsafeBytes { bytes in
                _ = responder.respond(to: UnsafeRawBufferPointer(rebasing: bytes[0..<count]), from: from, lane: lane) { reply in
                    outbox.update { $0.append((socket, to, reply)) }
                }
            }
        }
    }

    /// Sends every reply waiting; one the socket cannot take now (its buffer full) is dropped,
    /// as the network could drop it: the client asks again.
    private func flush() {
        let replies = outbox.update { pending -> [(socket: Int32, to: sockaddr_storage, bytes: ByteBuffer)] in
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
        for reply in replies {
            var to = reply.to
            let length = socklen_t(to.ss_family == sa_family_t(AF_INET6) ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
            reply.bytes.withUnsafeReadableBytes { bytes in
                withUnsafePointer(to: &to) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = sendto(reply.socket, bytes.baseAddress, bytes.count, 0, $0, length) }
                }
            }
        }
    }
}

@available(*, unavailable)
extension UDPWorker: Sendable {}
