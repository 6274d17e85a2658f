import CLinuxNet
import Glibc
import NIOCore

/// A connection's bytes in, its requests answered, its replies out (the worker's loop calls these).
extension EpollWorker {
    // MARK: reading and answering

    /// Reads once and answers what arrived; leftovers wait in the connection.
    func receive(_ connection: HTTPConnection) {
        let room = limits.maxBufferedBytes - (connection.buffered?.readableBytes ?? 0)
        guard room > 0 else {
            close(connection)  // the client keeps sending past every bound
            return
        }
        var bytes = scratch
        scratch = ByteBuffer()
        defer {
            bytes.clear()
            scratch = bytes
        }
        var result = 0
        var code: Int32 = 0
        bytes.writeWithUnsafeMutableBytes(minimumWritableBytes: 0) { space -> Int in
            result = recv(connection.fd, space.baseAddress, min(space.count, room), 0)
            code = errno
            return max(result, 0)
        }
        if result <= 0 {
            if result < 0, code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return }
            connection.inputClosed = true  // end of input, or the connection broke
            if result < 0 { connection.closeAfterWrite = true }
            return
        }
        connection.lastActiveTick = tick
        if var pending = connection.buffered {
            connection.buffered = nil
            pending.writeBuffer(&bytes)
            serve(connection, &pending)
            connection.buffered = pending.readableBytes > 0 ? pending : nil
        } else {
            serve(connection, &bytes)
            if bytes.readableBytes > 0 {
                var copy = ByteBufferAllocator().buffer(capacity: bytes.readableBytes)
                copy.writeBuffer(&bytes)
                connection.buffered = copy
            }
        }
        if connection.buffered == nil {
            connection.headStartedTick = nil
        } else if connection.headStartedTick == nil {
            connection.headStartedTick = tick
        }
    }

    /// Answers the complete requests in `bytes`, in order, until one must wait (for the store), or
    /// until this round's replies pass `maxUnsentBytes`: a client pipelining big replies it never
    /// reads costs the tracker that much, not a reply per request, and one greedy connection gets
    /// one round per pass of the event loop, like every other. A round cut short by the bound asks
    /// for the next pass (`moreToServe`: EPOLLOUT, which fires as soon as the socket has room).
    func serve(_ connection: HTTPConnection, _ bytes: inout ByteBuffer) {
        var replies: ByteBuffer?
        connection.moreToServe = false
        while !connection.busy, !connection.closeAfterWrite, connection.unsent == nil {
            if let replies, replies.readableBytes >= limits.maxUnsentBytes {
                connection.moreToServe = bytes.readableBytes > 0
                break
            }
            guard let part = decoder.decodeOne(&bytes) else { break }
            connection.headStartedTick = nil  // a whole head arrived; the next one's clock starts when it does
            switch responder.respond(to: part, from: connection.remote) {
            case .reply(let reply):
                if !reply.keepAlive { connection.closeAfterWrite = true }
                if replies == nil {
                    replies = reply.bytes
                } else {
                    var more = reply.bytes
                    replies!.writeBuffer(&more)
                }
            case .pending(let pending):
                connection.busy = true
                let mailbox = self.mailbox, fd = connection.fd, generation = connection.generation
                responder.start(pending, lane: lane) { reply in
                    mailbox.post(Mailbox.Delivery(fd: fd, generation: generation, reply: reply))
                }
            }
        }
        // Replies to pipelined requests leave together, in one send.
        if let replies { queue(replies, on: connection) }
    }

    func serveBuffered(_ connection: HTTPConnection) {
        guard !connection.busy, connection.unsent == nil, !connection.closeAfterWrite, var pending = connection.buffered else {
            connection.moreToServe = false  // nothing left to serve: no reason to wait for EPOLLOUT
            return
        }
        connection.buffered = nil
        serve(connection, &pending)
        if pending.readableBytes > 0 { connection.buffered = pending }
    }

    // MARK: writing

    func queue(_ bytes: ByteBuffer, on connection: HTTPConnection) {
        if connection.unsent == nil {
            connection.unsent = bytes
        } else {
            var more = bytes
            connection.unsent!.writeBuffer(&more)
        }
        flush(connection)
    }

    func flush(_ connection: HTTPConnection) {
        while var pending = connection.unsent {
            let sent = pending.withUnsafeReadableBytes { send(connection.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK { return }
                connection.unsent = nil
                connection.closeAfterWrite = true  // the peer is gone
                return
            }
            pending.moveReaderIndex(forwardBy: sent)
            connection.unsent = pending.readableBytes > 0 ? pending : nil
            connection.lastActiveTick = tick
            // A partial head could not grow while its connection was not read: its clock restarts.
            if connection.unsent == nil, connection.headStartedTick != nil { connection.headStartedTick = tick }
        }
    }
}
