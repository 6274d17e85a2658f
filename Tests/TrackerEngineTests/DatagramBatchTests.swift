import Glibc
import Testing
import TrackerTestSupport
@testable import TrackerEngine

/// The UDP worker's batches against real loopback sockets: what the kernel refuses or drops is
/// counted, and the rest still goes.
@Suite("UDP datagram batches")
struct DatagramBatchTests {
    /// A UDP socket on 127.0.0.1 at a free port, with the options the tracker sets.
    static func trackerSocket() throws -> (fd: Int32, port: Int) {
        let fd = try PosixSocket.datagramSocket(ListenAddress("127.0.0.1:0")!, port: 0)
        return (fd, boundPort(fd)!)
    }

    static func address(_ host: String, _ port: Int) -> sockaddr_storage {
        var storage = sockaddr_storage()
        withSocketAddress(host: host, port: port) { address, length in
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: UnsafeRawBufferPointer(start: address, count: Int(length))) }
        }
        return storage
    }

    @Test("a datagram the kernel refuses (to a broadcast address) is skipped and counted; the others in the batch arrive")
    func refusedDestinationSkipped() throws {
        let (sender, _) = try Self.trackerSocket(), (receiver, port) = try Self.trackerSocket()
        defer { close(sender); close(receiver) }
        let batch = DatagramBatch(capacity: 8, slotSize: 2048)
        for (i, host) in ["127.0.0.1", "255.255.255.255", "127.0.0.1"].enumerated() {
            batch.lengths[i] = UInt32(UDPReply.error(transactionID: UInt32(i), message: "x").write(into: batch.slot(i)))
            batch.addresses[i] = Self.address(host, port)
        }
        batch.count = 3
        #expect(batch.send(through: sender) == 1, "the broadcast one (no SO_BROADCAST) is refused")
        #expect(batch.count == 0)

        let inbox = DatagramBatch(capacity: 8, slotSize: 2048)
        var dropped: UInt32 = 0
        var arrived: [UInt8] = []
        for _ in 0..<20 where arrived.count < 2 {  // bounded: loopback delivers within moments
            for i in 0..<inbox.receive(from: receiver, dropped: &dropped) { arrived.append(inbox.datagram(i)[7]) }
            if arrived.count < 2 { usleep(10_000) }
        }
        #expect(arrived == [0, 2], "the first and third replies, by transaction id")
        #expect(dropped == 0)
    }

    @Test("datagrams the kernel drops for a full receive buffer are reported with the next ones read")
    func kernelDropsReported() throws {
        let (receiver, port) = try Self.trackerSocket()
        defer { close(receiver) }
        var small: Int32 = 4096  // the kernel's floor; a few datagrams fill it
        setsockopt(receiver, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        let sender = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(sender) }
        let payload = [UInt8](repeating: 1, count: 1000)
        var destination = Self.address("127.0.0.1", port)
        func send(_ count: Int) {
            for _ in 0..<count {
                _ = withUnsafePointer(to: &destination) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(sender, payload, payload.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
            }
        }
        let inbox = DatagramBatch(capacity: 64, slotSize: 2048)
        var dropped: UInt32 = 0, received = 0
        send(200)
        for _ in 0..<10 { received += inbox.receive(from: receiver, dropped: &dropped) }
        #expect(received > 0 && received < 200)
        #expect(dropped == 0, "those read were queued before any drop")
        // The kernel tells the count with each datagram queued after the drops.
        send(1)
        #expect(inbox.receive(from: receiver, dropped: &dropped) == 1)
        #expect(Int(dropped) == 200 - received, "every datagram sent was either read or counted dropped")
    }
}
