import CLinuxNet
import Glibc
import NIOCore

/// One UDP worker thread: waits on its sockets (and its store lane's connection), reads what
/// arrived in batches (`recvmmsg`), answers each datagram through the responder, and sends the
/// replies in batches (`sendmmsg`). A reply the store gives later (Redis) is sent once the lane
/// has read it, on this same thread.
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
    /// Replies to send: which socket, to whom, what. Filled on this thread only (replies are
    /// given during `respond`, the lane's `send` or `receive`), drained after each pass.
    private let outbox = Locked<[(socket: Int32, to: sockaddr_storage, bytes: ByteBuffer)]>([])
    private var arena = [UInt8](repeating: 0, count: UDPWorker.batch * UDPWorker.slot)
    private var addresses = [sockaddr_storage](repeating: sockaddr_storage(), count: UDPWorker.batch)
    private var lengths = [UInt32](repeating: 0, count: UDPWorker.batch)

    init(sockets: [Int32], responder: UDPResponder) {
        self.sockets = sockets
        self.responder = responder
        self.lane = responder.logic.makeLane()
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
                for (i, socket) in sockets.enumerated() where fds[i].revents & Int16(POLLIN) != 0 { read(socket) }
            }
            lane.send()
            _ = lane.checkStalled(now: MonotonicClock.seconds())
            flush()
        }
    }

    /// Reads one batch from `socket` and answers each datagram.
    private func read(_ socket: Int32) {
        let count = arena.withUnsafeMutableBufferPointer { arena in
            addresses.withUnsafeMutableBufferPointer { addresses in
                lengths.withUnsafeMutableBufferPointer { lengths in
                    clinuxnet_recv_batch(socket, arena.baseAddress, Self.slot, addresses.baseAddress, lengths.baseAddress, UInt32(Self.batch))
                }
            }
        }
        guard count > 0 else { return }  // EAGAIN: nothing more for now
        let outbox = self.outbox
        for i in 0..<Int(count) {
            guard let from = PeerEndpoint(socketAddress: addresses[i]) else { continue }
            let to = addresses[i], start = i * Self.slot, length = min(Int(lengths[i]), Self.slot)
            arena.withUnsafeBytes { bytes in
                _ = responder.respond(to: UnsafeRawBufferPointer(rebasing: bytes[start..<start + length]), from: from, lane: lane) { reply in
                    outbox.update { $0.append((socket, to, reply)) }
                }
            }
        }
    }

    /// Sends every reply waiting, a batch per socket and call; replies the socket cannot take now
    /// (its buffer full) are dropped, as the network could drop them: the client asks again.
    private func flush() {
        let replies = outbox.update { pending -> [(socket: Int32, to: sockaddr_storage, bytes: ByteBuffer)] in
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
        var start = 0
        while start < replies.count {
            let socket = replies[start].socket
            var count = 0
            while start + count < replies.count, count < Self.batch, replies[start + count].socket == socket {
                let reply = replies[start + count]
                let length = min(reply.bytes.readableBytes, Self.slot)
                arena.withUnsafeMutableBytes { arena in
                    reply.bytes.withUnsafeReadableBytes { bytes in
                        arena.baseAddress!.advanced(by: count * Self.slot).copyMemory(from: bytes.baseAddress!, byteCount: length)
                    }
                }
                addresses[count] = reply.to
                lengths[count] = UInt32(length)
                count += 1
            }
            _ = arena.withUnsafeBufferPointer { arena in
                addresses.withUnsafeBufferPointer { addresses in
                    lengths.withUnsafeBufferPointer { lengths in
                        clinuxnet_send_batch(socket, arena.baseAddress, Self.slot, addresses.baseAddress, lengths.baseAddress, UInt32(count))
                    }
                }
            }
            start += count
        }
    }
}

@available(*, unavailable)
extension UDPWorker: Sendable {}
