import CHiredis
import Glibc

/// The C member sink (`chiredis_sink`) behind a reader: array members collected into one buffer
/// instead of a reply object each. One per reader; the reader points at it, so it outlives it.
final class RedisMemberSink {
    let pointer: UnsafeMutablePointer<chiredis_sink>

    init() {
        pointer = UnsafeMutablePointer<chiredis_sink>.allocate(capacity: 1)
        pointer.initialize(to: chiredis_sink())
    }

    deinit {
        chiredis_sink_release(pointer)
        pointer.deallocate()
    }

    /// What reading one reply through the sink gave.
    enum Outcome {
        /// An array reply: its members of the asked size, back to back, lent until the next read.
        case members(UnsafeRawBufferPointer)
        /// Any other reply (an error), already freed.
        case other
        /// No whole reply yet (a reader fed from memory).
        case incomplete
        /// The reader failed (I/O or protocol error).
        case failed
    }

    /// Reads one reply with the sink active: `getReply` is hiredis's `redisGetReply` or
    /// `redisReaderGetReply` on the reader the sink is installed in.
    func read(memberSize: Int, _ getReply: (UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> Int32) -> Outcome {
        chiredis_sink_activate(pointer, memberSize)
        defer { chiredis_sink_deactivate(pointer) }
        var raw: UnsafeMutableRawPointer?
        guard getReply(&raw) == REDIS_OK else { return .failed }
        guard let raw else { return .incomplete }
        guard raw == UnsafeMutableRawPointer(pointer) else {
            freeReplyObject(raw)
            return .other
        }
        return .members(UnsafeRawBufferPointer(start: pointer.pointee.bytes, count: pointer.pointee.used))
    }
}
