import Foundation
import Testing
import TrackerEngine
import TrackerTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A UDP client on loopback: one socket, datagrams out, replies in with a deadline.
final class UDPProbe {
    let fd: Int32
    private var destination = sockaddr_in()

    /// `source`: the IPv4 loopback address to send from (127.x.y.z), else the kernel's choice.
    init(port: Int, source: String? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw E2EError("socket: errno \(errno)") }
        if let source { try LoopbackClient.bind(fd, to: source) }
        var timeout = timeval(tv_sec: 0, tv_usec: 500_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        destination.sin_family = sa_family_t(AF_INET)
        destination.sin_port = UInt16(port).bigEndian
        destination.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    }

    deinit { close(fd) }

    /// Sends `datagram`; the reply, or nil when none came within half a second.
    func exchange(_ datagram: [UInt8]) -> [UInt8]? {
        send(datagram)
        var reply = [UInt8](repeating: 0, count: 2048)
        let count = reply.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return count < 0 ? nil : Array(reply[0..<count])
    }

    /// Sends `datagram` without waiting for a reply.
    func send(_ datagram: [UInt8]) {
        _ = datagram.withUnsafeBytes { bytes in
            withUnsafePointer(to: &destination) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
    }

    /// Sends `datagram`, then reads replies (skipping others) until one carries `transaction`;
    /// false when none came within the receive timeout.
    func exchange(_ datagram: [UInt8], transaction: UInt32) -> Bool {
        send(datagram)
        var reply = [UInt8](repeating: 0, count: 2048)
        while true {
            let count = reply.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 { return false }
            if count >= 8, Array(reply[4..<8]) == UDPProbe.be(transaction) { return true }
        }
    }

    static func be<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }

    /// Connects and returns the connection id the tracker gave. Sent again when no answer came
    /// (up to 10 times 0.5 s), as BEP 15 clients do: a loaded machine may lose the first datagram
    /// or answer it late.
    func connect() throws -> UInt64 {
        let request = Self.be(UInt64(0x417_2710_1980)) + Self.be(UInt32(0)) + Self.be(UInt32(1))
        var answer: [UInt8]?
        for _ in 0..<10 where answer == nil { answer = exchange(request) }
        let reply = try #require(answer)
        #expect(reply.count == 16 && Array(reply[0..<4]) == [0, 0, 0, 0])
        return reply[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
    }

    static func announce(_ id: UInt64, hash: InfoHash, peer: UInt8, port: UInt16 = 6881, left: UInt64 = 10, numwant: Int32 = -1) -> [UInt8] {
        be(id) + be(UInt32(1)) + be(UInt32(7)) + hash.raw.bytes + Array("-TR3000-00000000000\(peer % 10)".utf8)
            + be(UInt64(0)) + be(left) + be(UInt64(0)) + be(UInt32(2)) + be(UInt32(0)) + be(UInt32(0)) + be(numwant) + be(port)
    }
}

@Suite("End to end: UDP tracker")
struct UDPTrackerProcessTests {
    static let hash = InfoHash(hex: "0123456789abcdef0123456789abcdef01234567")!

    @Test("the built binary answers connect and announce over UDP; forged ids get silence; a blacklisted torrent gets action 3")
    func answers() throws {
        let directory = TrackerProcess.makeDataDirectory()
        try PrivateFiles.makeDirectory(directory.path)
        defer { try? FileManager.default.removeItem(at: directory) }
        let blacklisted = InfoHash(hex: "ffffffffffffffffffffffffffffffffffffffff")!
        try "\(blacklisted.hex)\n".write(to: directory.appendingPathComponent("blacklist"), atomically: true, encoding: .utf8)
        let tracker = try TrackerProcess(arguments: ["--store", "memory"], dataDirectory: directory, udp: true)
        let client = try UDPProbe(port: tracker.port)
        let id = try client.connect()

        let first = try #require(client.exchange(UDPProbe.announce(id, hash: Self.hash, peer: 1, port: 7001)))
        #expect(Array(first[0..<8]) == [0, 0, 0, 1, 0, 0, 0, 7] && first.count == 20, "the first peer gets no peers")
        let second = try #require(client.exchange(UDPProbe.announce(id, hash: Self.hash, peer: 2, port: 7002)))
        #expect(Array(second[12..<20]) == [0, 0, 0, 2, 0, 0, 0, 0], "two leechers")
        #expect(Array(second[20...]) == [127, 0, 0, 1, 0x1B, 0x59], "the other peer, at its announced port")

        #expect(client.exchange(UDPProbe.announce(id ^ 0xFFFF, hash: Self.hash, peer: 3)) == nil, "a forged id gets no reply")
        let refused = try #require(client.exchange(UDPProbe.announce(id, hash: blacklisted, peer: 4)))
        #expect(Array(refused[0..<4]) == [0, 0, 0, 3] && String(decoding: refused[8...], as: UTF8.self) == "torrent is blacklisted")
        #expect(tracker.stop() == 0)
    }

    @Test("a banned address gets action 3 'banned' over UDP, with the Redis store")
    func banned() throws {
        let directory = TrackerProcess.makeDataDirectory()
        try PrivateFiles.makeDirectory(directory.path)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tracker = try TrackerProcess(arguments: ["--store", "redis"], dataDirectory: directory, udp: true)
        // The ban arrives as the dashboard's would: in the shared Redis, published to the nodes.
        let redis = try RedisConnection(RedisEndpoint(url: "unix://\(directory.path)/redis.sock")!, timeout: 2)
        _ = try redis.command(["ZADD", "tt:bans", "+inf", "127.0.0.1/32"])
        _ = try redis.command(["PUBLISH", "tt:events", "ban 127.0.0.1/32"])
        let client = try UDPProbe(port: tracker.port)
        let id = try client.connect()
        var reason = ""
        for _ in 0..<20 {  // bounded: the node applies the published ban within a moment
            let reply = try #require(client.exchange(UDPProbe.announce(id, hash: Self.hash, peer: 1)))
            reason = reply.count > 8 && reply[3] == 3 ? String(decoding: reply[8...], as: UTF8.self) : ""
            if reason == "banned" { break }
            usleep(100_000)
        }
        #expect(reason == "banned")
        #expect(tracker.stop() == 0)
    }

    @Test("datagrams the kernel drops while the tracker cannot read are counted (udp_receive_dropped in the stop log)")
    func kernelDropsCounted() throws {
        let tracker = try TrackerProcess(arguments: ["--store", "memory"], udp: true)
        let client = try UDPProbe(port: tracker.port)
        _ = try client.connect()
        // Stopped, the tracker reads nothing: 30,000 connects overflow its 4 MB receive buffer.
        kill(tracker.process.pid, SIGSTOP)
        let connect = UDPProbe.be(UInt64(0x417_2710_1980)) + UDPProbe.be(UInt32(0)) + UDPProbe.be(UInt32(2))
        for _ in 0..<30_000 { client.send(connect) }
        kill(tracker.process.pid, SIGCONT)
        // A connect queued after the drops carries the kernel's count; its reply comes once the
        // backlog before it is answered (bounded: 10 tries).
        var answered = false
        for _ in 0..<10 where !answered {
            answered = client.exchange(UDPProbe.be(UInt64(0x417_2710_1980)) + UDPProbe.be(UInt32(0)) + UDPProbe.be(UInt32(3)), transaction: 3)
        }
        #expect(answered)
        #expect(tracker.stop() == 0)
        let line = try #require(tracker.log.split(separator: "\n").first { $0.contains("stopped") }, "\(tracker.log)")
        let dropped = line.split(separator: " ").first { $0.hasPrefix("udp_receive_dropped=") }.flatMap { Int($0.dropFirst(20)) }
        #expect((dropped ?? 0) > 0 && (dropped ?? .max) <= 30_000, "\(line)")
    }
}
