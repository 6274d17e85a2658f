import ArgumentParser
import Foundation
import Glibc

extension TrackerTUI {
    /// The UDP load generator behind `bench/udp.sh`: many client sockets on loopback, each
    /// connects (BEP 15) and then keeps a window of announces in flight; counts answers.
    /// The tracker's CPU per announce is measured by the script, from outside.
    struct BenchUDP: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench-udp",
            abstract: "Drive a UDP tracker with announces and report how many were answered.",
            shouldDisplay: false)

        @Option(help: "The tracker's IPv4 address.") var host = "127.0.0.1"
        @Option(help: "The tracker's UDP port.") var port: UInt16
        @Option(help: "Info-hashes, 40 hex digits a line (bench/gen_hashes.py).") var hashes: String
        @Option(help: "Torrents to use from the file.") var torrents = 1000
        @Option(help: "Peers per torrent.") var peers = 100
        @Option(help: "Seconds of random announces after the warm-up (0: warm-up only).") var seconds = 10.0
        @Flag(help: "Announce every peer once first (event started).") var warm = false
        @Option(help: "Client sockets.") var sockets = 32
        @Option(help: "Announces in flight per socket.") var window = 8

        func run() throws {
            let lines = try String(contentsOfFile: hashes, encoding: .utf8).split(separator: "\n").prefix(torrents)
            let infoHashes = lines.compactMap { line -> [UInt8]? in
                guard line.count == 40 else { return nil }
                return stride(from: 0, to: 40, by: 2).compactMap { UInt8(line.dropFirst($0).prefix(2), radix: 16) }
            }
            guard infoHashes.count == torrents else { throw ValidationError("\(hashes) has fewer than \(torrents) hashes") }
            var load = UDPLoad(host: host, port: port, sockets: sockets, window: window, hashes: infoHashes, peers: peers)
            try load.connectAll()
            if warm {
                let result = load.drive(total: torrents * peers, seconds: 120, sequential: true)
                print("RESULT phase=warm replies=\(result.replies) seconds=\(String(format: "%.2f", result.seconds)) errors=\(result.errors) lost=\(result.lost)")
            }
            if seconds > 0 {
                let result = load.drive(total: Int.max, seconds: seconds, sequential: false)
                print("RESULT phase=measure replies=\(result.replies) seconds=\(String(format: "%.2f", result.seconds))"
                      + " rps=\(Int(Double(result.replies) / result.seconds)) errors=\(result.errors) lost=\(result.lost)")
            }
        }
    }
}

/// The generator's sockets and its loop (one thread, poll over every socket).
struct UDPLoad {
    let sockets: [Int32]
    let window: Int
    let hashes: [[UInt8]]
    let peers: Int
    private var connectionIDs: [UInt64]
    private var rng = SystemRandomNumberGenerator()

    init(host: String, port: UInt16, sockets count: Int, window: Int, hashes: [[UInt8]], peers: Int) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        sockets = (0..<count).map { _ in
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            var size: Int32 = 4 << 20
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            return fd
        }
        self.window = window
        self.hashes = hashes
        self.peers = peers
        connectionIDs = Array(repeating: 0, count: count)
    }

    private static func be<T: FixedWidthInteger>(_ value: T, into out: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { out += $0 }
    }

    /// BEP 15's connect on every socket (retried for up to 5 s).
    mutating func connectAll() throws {
        for (i, fd) in sockets.enumerated() {
            var request: [UInt8] = []
            Self.be(UInt64(0x417_2710_1980), into: &request)
            Self.be(UInt32(0), into: &request)
            Self.be(UInt32(i), into: &request)
            var reply = [UInt8](repeating: 0, count: 64)
            var got = false
            for _ in 0..<50 where !got {
                _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
                var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                if poll(&descriptor, 1, 100) > 0 {
                    let n = reply.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                    if n == 16 {
                        connectionIDs[i] = reply[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
                        got = true
                    }
                }
            }
            guard got else { throw ValidationError("no connect reply on socket \(i)") }
        }
    }

    /// Announce `k`: torrent `k % torrents`, peer `k / torrents % peers` (its announced port tells
    /// the peers apart; every socket is 127.0.0.1). Half the peers are seeders.
    private func announce(_ k: Int, socket i: Int, transaction: UInt32, started: Bool) -> [UInt8] {
        let torrent = k % hashes.count, peer = (k / hashes.count) % peers
        var out: [UInt8] = []
        out.reserveCapacity(98)
        Self.be(connectionIDs[i], into: &out)
        Self.be(UInt32(1), into: &out)
        Self.be(transaction, into: &out)
        out += hashes[torrent]
        out += Array("-BU0001-".utf8)
        Self.be(UInt32(truncatingIfNeeded: torrent), into: &out)
        Self.be(UInt64(peer), into: &out)
        Self.be(UInt64(0), into: &out)  // downloaded
        Self.be(UInt64(peer % 2 == 0 ? 0 : 1000), into: &out)  // left
        Self.be(UInt64(0), into: &out)  // uploaded
        Self.be(UInt32(started ? 2 : 0), into: &out)
        Self.be(UInt32(0), into: &out)  // ip
        Self.be(UInt32(truncatingIfNeeded: k), into: &out)  // key
        Self.be(Int32(50), into: &out)
        Self.be(UInt16(1 + peer), into: &out)
        return out
    }

    struct Result {
        var replies = 0, errors = 0, lost = 0
        var seconds = 0.0
    }

    /// Keeps `window` announces in flight per socket until `total` are answered or `seconds`
    /// pass: `sequential` walks every (torrent, peer) once, otherwise they are drawn at random.
    mutating func drive(total: Int, seconds: Double, sequential: Bool) -> Result {
        var result = Result()
        var inFlight = [Int](repeating: 0, count: sockets.count)
        var lastProgress = [Double](repeating: 0, count: sockets.count)
        var next = 0, transaction: UInt32 = 0
        let start = Date()
        var descriptors = sockets.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        var reply = [UInt8](repeating: 0, count: 2048)
        func elapsed() -> Double { Date().timeIntervalSince(start) }
        while result.replies < total, elapsed() < seconds {
            for i in sockets.indices {
                while inFlight[i] < window, next < total || !sequential {
                    let k = sequential ? next : Int.random(in: 0..<hashes.count * peers, using: &rng)
                    next += 1
                    transaction &+= 1
                    let datagram = announce(k, socket: i, transaction: transaction, started: sequential)
                    let sent = datagram.withUnsafeBytes { send(sockets[i], $0.baseAddress, $0.count, 0) }
                    if sent < 0 { break }
                    inFlight[i] += 1
                    if !sequential, next >= total { break }
                }
            }
            guard poll(&descriptors, nfds_t(descriptors.count), 100) >= 0 else { break }
            let now = elapsed()
            for i in sockets.indices {
                while true {
                    let n = reply.withUnsafeMutableBytes { recv(sockets[i], $0.baseAddress, $0.count, 0) }
                    guard n >= 8 else { break }
                    inFlight[i] = max(0, inFlight[i] - 1)
                    lastProgress[i] = now
                    if reply[3] == 1 { result.replies += 1 } else { result.errors += 1 }
                }
                // No answer for a second: count what was in flight as lost and go on.
                if inFlight[i] > 0, now - lastProgress[i] > 1 {
                    result.lost += inFlight[i]
                    inFlight[i] = 0
                    lastProgress[i] = now
                }
            }
            if sequential, next >= total, inFlight.allSatisfy({ $0 == 0 }) { break }
        }
        result.seconds = elapsed()
        return result
    }
}
