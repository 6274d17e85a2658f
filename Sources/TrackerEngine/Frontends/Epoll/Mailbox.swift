import CLinuxNet
import Glibc

/// How replies that waited for the store get back to their worker thread: a locked list plus an
/// eventfd that wakes the worker's epoll. Posting is safe from any thread.
final class Mailbox: Sendable {
    struct Delivery: Sendable {
        var fd: Int32
        var generation: UInt32
        var reply: HTTPResponder.Reply
    }

    let wakeFD: Int32
    private let deliveries = Locked<[Delivery]>([])

    init() throws {
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else { throw PosixSocket.Failure(call: "eventfd", errno: errno) }
    }

    func post(_ delivery: Delivery) {
        let wasEmpty = deliveries.update { list in
            list.append(delivery)
            return list.count == 1
        }
        if wasEmpty { wake() }
    }

    /// Wakes the worker with nothing delivered (shutdown).
    func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Whether anything waits to be taken (replies a lane gave on the worker's own thread).
    var hasDeliveries: Bool {
        deliveries.update { !$0.isEmpty }
    }

    /// Everything posted so far; clears the wake-up.
    func take() -> [Delivery] {
        var counter: UInt64 = 0
        _ = read(wakeFD, &counter, 8)
        return deliveries.update { list in
            defer { list.removeAll(keepingCapacity: true) }
            return list
        }
    }

    deinit { close(wakeFD) }
}
