import CLinuxNet
import Glibc

/// Room for one `recvmmsg` / `sendmmsg` batch: `capacity` slots of `slotSize` bytes, each with
/// its peer address and length. Allocated once per worker and reused for every batch; pointers,
/// not arrays, so that the hot path neither copies nor checks exclusive access.
final class DatagramBatch {
    let capacity: Int
    let slotSize: Int
    let slots: UnsafeMutableRawBufferPointer
    let addresses: UnsafeMutablePointer<sockaddr_storage>
    let lengths: UnsafeMutablePointer<UInt32>
    /// Slots in use (filled by a receive, or by replies written for the next send).
    var count = 0

    init(capacity: Int, slotSize: Int) {
        self.capacity = capacity
        self.slotSize = slotSize
        slots = .allocate(byteCount: capacity * slotSize, alignment: 16)
        addresses = .allocate(capacity: capacity)
        addresses.initialize(repeating: sockaddr_storage(), count: capacity)
        lengths = .allocate(capacity: capacity)
        lengths.initialize(repeating: 0, count: capacity)
    }

    deinit {
        slots.deallocate()
        addresses.deallocate()
        lengths.deallocate()
    }

    var isFull: Bool { count == capacity }

    /// Slot `i`, whole (to write a reply into).
    func slot(_ i: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: slots[i * slotSize..<(i + 1) * slotSize])
    }

    /// The datagram received into slot `i`.
    func datagram(_ i: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: slots[i * slotSize..<i * slotSize + min(Int(lengths[i]), slotSize)])
    }

    /// Reads what `socket` has waiting, up to `capacity` datagrams; `dropped` gets the kernel's
    /// running count of datagrams it dropped on the socket, when it told one. Returns how many
    /// arrived (0 when none wait).
    func receive(from socket: Int32, dropped: inout UInt32) -> Int {
        let received = clinuxnet_recv_batch(socket, slots.baseAddress!.assumingMemoryBound(to: UInt8.self), slotSize,
                                            addresses, lengths, UInt32(capacity), &dropped)
        count = max(0, Int(received))
        return count
    }

    /// Sends the `count` datagrams waiting to their addresses through `socket`, and empties the
    /// batch. One that the kernel refuses (a broadcast address a hostile client put as its
    /// source, say) is skipped and the rest still go; when the socket's buffer is full, the rest
    /// are dropped, as the network could drop them (clients ask again). Returns how many were
    /// not sent.
    func send(through socket: Int32) -> Int {
        defer { count = 0 }
        var first = 0, unsent = 0
        while first < count {
            let sent = clinuxnet_send_batch(socket, slots.baseAddress!.advanced(by: first * slotSize).assumingMemoryBound(to: UInt8.self),
                                            slotSize, addresses + first, lengths + first, UInt32(count - first))
            if sent > 0 {
                first += Int(sent)
            } else if errno == EINTR {
                continue
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS {
                return unsent + count - first
            } else {
                unsent += 1  // this datagram cannot go anywhere: skip it
                first += 1
            }
        }
        return unsent
    }
}

@available(*, unavailable)
extension DatagramBatch: Sendable {}
