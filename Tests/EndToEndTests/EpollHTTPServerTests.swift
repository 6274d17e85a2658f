import Foundation
import Synchronization
import Testing
import TrackerEngine
import TrackerTestSupport

/// The HTTP front end over real loopback sockets: connection handling, not tracker logic.
@Suite("HTTP front end (epoll)", .serialized)
struct EpollHTTPServerTests {
    final class Running {
        let server: EpollHTTPServer
        let port: Int
        let stats = TrackerStats()
        let store: any SwarmStore

        init(limits: HTTPServerLimits = HTTPServerLimits(), threads: Int = 2, store: (any SwarmStore)? = nil) throws {
            let store = store ?? MemorySwarmStore(shardCount: 4)
            self.store = store
            server = EpollHTTPServer(responder: HTTPResponder(logic: TrackerLogic(store: store), stats: stats), limits: limits, threads: threads)
            port = try server.start([ListenAddress(host: "127.0.0.1", port: 0)])[0].port
        }

        deinit { server.stop() }
    }

    static let hash = InfoHash(hex: "00112233445566778899aabbccddeeff00112233")!
    static func announce(_ id: Int, left: Int = 1) -> String {
        let hash = Self.hash.bytes.map { String(format: "%%%02X", $0) }.joined()
        return "GET /announce?info_hash=\(hash)&peer_id=-TT0001-\(String(format: "%012d", id))&port=\(7000 + id)&left=\(left) HTTP/1.1\r\nHost: t\r\n\r\n"
    }

    @Test("an IPv6 address that cannot be bound is skipped when optional, fatal when asked for")
    func optionalIPv6() throws {
        let unbindable = ListenAddress(host: "2001:db8::1", port: 0)  // documentation range: no interface has it
        let server = EpollHTTPServer(responder: HTTPResponder(logic: TrackerLogic(store: MemorySwarmStore(shardCount: 1)), stats: TrackerStats()), threads: 1)
        let skipped = Locked<[ListenAddress]>([])
        let bound = try server.start([ListenAddress(host: "127.0.0.1", port: 0), unbindable], optionalIPv6: true) { address, _ in
            skipped.update { $0.append(address) }
        }
        defer { server.stop() }
        #expect(skipped.value == [unbindable])
        #expect(bound.count == 1)
        let client = try LoopbackClient(port: bound[0].port)
        try client.send("GET / HTTP/1.1\r\n\r\n")
        #expect(try client.readResponse().status == 200)

        let strict = EpollHTTPServer(responder: HTTPResponder(logic: TrackerLogic(store: MemorySwarmStore(shardCount: 1)), stats: TrackerStats()), threads: 1)
        #expect(throws: (any Error).self) { try strict.start([unbindable]) }
    }

    @Test("keep-alive: several requests on one connection, each answered")
    func keepAlive() throws {
        let running = try Running()
        let client = try LoopbackClient(port: running.port)
        for id in 1...3 {
            try client.send(Self.announce(id))
            let response = try client.readResponse()
            #expect(try BencodeValue.decode(response.body)["incomplete"]?.integer == Int64(id))
        }
    }

    @Test("pipelined requests are answered in order, in one go")
    func pipelined() throws {
        let running = try Running()
        let client = try LoopbackClient(port: running.port)
        try client.send(Self.announce(1) + "GET /nope HTTP/1.1\r\n\r\n" + Self.announce(2) + "GET / HTTP/1.1\r\n\r\n")
        let statuses = try (0..<4).map { _ in try client.readResponse() }
        #expect(statuses.map(\.status) == [200, 404, 200, 200])
        #expect(try BencodeValue.decode(statuses[2].body)["incomplete"]?.integer == 2)
    }

    @Test("a request split over several packets is answered once whole")
    func split() throws {
        let running = try Running()
        let client = try LoopbackClient(port: running.port)
        let request = Array(Self.announce(1).utf8)
        for piece in stride(from: 0, to: request.count, by: 37) {
            try client.send(Array(request[piece..<min(piece + 37, request.count)]))
            usleep(2000)
        }
        #expect(try client.readResponse().status == 200)
    }

    @Test("Connection: close and HTTP/1.0 are answered, then closed")
    func closes() throws {
        let running = try Running()
        let client = try LoopbackClient(port: running.port)
        try client.send("GET / HTTP/1.0\r\n\r\n")
        #expect(try client.readResponse().head.contains("Connection: close"))
        #expect(client.serverClosed())
    }

    @Test("a client that half-closes still gets its answer, also one that waits for the store")
    func halfClose() throws {
        let running = try Running(store: DelayedStore())
        let client = try LoopbackClient(port: running.port)
        try client.send(Self.announce(1) + Self.announce(2))
        client.finishSending()
        let first = try client.readResponse(), second = try client.readResponse()
        #expect(try BencodeValue.decode(first.body)["incomplete"]?.integer == 1)
        #expect(try BencodeValue.decode(second.body)["incomplete"]?.integer == 2)
        #expect(client.serverClosed())
    }

    @Test("idle connections are closed after the timeout")
    func idle() throws {
        let running = try Running(limits: HTTPServerLimits(idleTimeoutSeconds: 1))
        let client = try LoopbackClient(port: running.port, timeoutSeconds: 5)
        try client.send("GET / HT")  // a request that never ends
        let started = Date()
        #expect(client.serverClosed())
        let waited = Date().timeIntervalSince(started)
        #expect(waited >= 0.9 && waited < 4, "closed after \(waited) s")
    }

    @Test("a head trickled in byte by byte is closed at the head deadline, not kept alive by each byte; counted")
    func headDeadline() throws {
        let running = try Running(limits: HTTPServerLimits(idleTimeoutSeconds: 30, headTimeoutSeconds: 2))
        let client = try LoopbackClient(port: running.port, timeoutSeconds: 1)
        let started = Date()
        var closedAfter: Double?
        for byte in Array("GET /announce?info_hash=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".utf8) {
            usleep(300_000)
            if (try? client.send([byte])) == nil || Date().timeIntervalSince(started) > 6 { break }
            var probe = pollfd(fd: client.fd, events: Int16(POLLIN), revents: 0)
            if poll(&probe, 1, 0) > 0 {  // readable: the server closed (it never answers a partial head)
                closedAfter = Date().timeIntervalSince(started)
                break
            }
        }
        let waited = try #require(closedAfter, "still open after 6 s of trickling")
        #expect(waited >= 1.5 && waited < 4.5, "closed after \(waited) s; the head deadline is 2 s")
        #expect(running.stats.count(.headTimeout) == 1)
    }

    @Test("pipelined requests whose replies pass the 64 KiB round bound are all answered, in order")
    func pipelinedPastTheReplyBound() throws {
        let running = try Running(threads: 1)
        for id in 1...200 {  // 200 peers: a non-compact reply of 200 peers is about 12 KB
            let client = try LoopbackClient(port: running.port)
            try client.send(Self.announce(1000 + id))
            _ = try client.readResponse()
        }
        let big = Self.announce(1).replacingOccurrences(of: "&left=1", with: "&left=1&compact=0&numwant=200")
        let client = try LoopbackClient(port: running.port)
        try client.send(String(repeating: big, count: 20))  // about 240 KB of replies, sent in one go
        for i in 0..<20 {
            let response = try client.readResponse()
            #expect(response.status == 200 && response.body.count > 10_000, "reply \(i) of 20")
        }
    }

    @Test("connections above the limit are refused; a closed one frees its place")
    func connectionLimit() throws {
        let running = try Running(limits: HTTPServerLimits(maxConnections: 2), threads: 1)
        let a = try LoopbackClient(port: running.port), b = try LoopbackClient(port: running.port)
        try a.send(Self.announce(1))
        try b.send(Self.announce(2))
        _ = try a.readResponse()
        _ = try b.readResponse()
        #expect(running.server.openConnections == 2)
        let c = try LoopbackClient(port: running.port)
        try c.send(Self.announce(3))
        #expect(c.serverClosed(), "the third connection is refused")
        #expect(running.stats.count(.connectionRefused) == 1)
        a.finishSending()
        #expect(a.serverClosed())
        let d = try LoopbackClient(port: running.port)
        try d.send(Self.announce(4))
        #expect(try d.readResponse().status == 200)
    }

    @Test("at most --max-connections-per-ip from one address; exempt ranges are not counted; a closed one frees its place")
    func perAddressLimit() throws {
        let counted = try Running(limits: HTTPServerLimits(maxConnectionsPerAddress: 2, exemptFromPerAddressLimit: []), threads: 1)
        let a = try LoopbackClient(port: counted.port), b = try LoopbackClient(port: counted.port)
        try a.send(Self.announce(1))
        try b.send(Self.announce(2))
        _ = try a.readResponse()
        _ = try b.readResponse()
        let c = try LoopbackClient(port: counted.port)
        try c.send(Self.announce(3))
        #expect(c.serverClosed(), "the third connection from 127.0.0.1 is refused")
        #expect(counted.stats.count(.connectionRefused) == 1)
        a.finishSending()
        #expect(a.serverClosed())
        let d = try LoopbackClient(port: counted.port)
        try d.send(Self.announce(4))
        #expect(try d.readResponse().status == 200, "a place freed by a close is taken again")

        let exempt = try Running(limits: HTTPServerLimits(maxConnectionsPerAddress: 2), threads: 1)  // loopback exempt by default
        let clients = try (0..<4).map { _ in try LoopbackClient(port: exempt.port) }
        for (i, client) in clients.enumerated() { try client.send(Self.announce(10 + i)) }
        for client in clients { #expect(try client.readResponse().status == 200) }
    }

    @Test("IPv6 clients are counted per /64")
    func perSlash64() {
        let limiter = AddressConnectionLimiter(maximum: 2, exempt: AddressRange.loopback)
        func client(_ low: UInt64, high: UInt64 = 0x2001_0DB8_0001_0002) -> PeerAddress? {
            limiter.client(.v6(IPv6Endpoint(high: high, low: low, port: 1)))
        }
        #expect(limiter.acquire(client(1)!))
        #expect(limiter.acquire(client(2)!))
        #expect(!limiter.acquire(client(3)!), "a third interface id of the same /64 is refused")
        #expect(limiter.acquire(client(3, high: 0x2001_0DB8_0001_0003)!), "another /64 is another client")
        limiter.release(client(1)!)
        #expect(limiter.acquire(client(4)!))
        #expect(limiter.client(.v6(IPv6Endpoint(high: 0, low: 1, port: 9))) == nil, "::1 is exempt")
        #expect(limiter.client(.v4(IPv4Endpoint(address: 0x7F00_0002, port: 9))) == nil, "127.0.0.2 is exempt")
    }

    @Test("a client that sends past every bound is cut off; others are untouched")
    func flood() throws {
        let running = try Running(limits: HTTPServerLimits(maxHeadBytes: 1024, maxPipelined: 2))
        let flooder = try LoopbackClient(port: running.port)
        let calm = try LoopbackClient(port: running.port)
        _ = try? flooder.send("GET / HTTP/1.1\r\n" + String(repeating: "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n", count: 200))
        #expect(flooder.serverClosed())
        try calm.send(Self.announce(1))
        #expect(try calm.readResponse().status == 200)
    }

    @Test("many concurrent clients, one request each: all answered, none left open")
    func concurrent() throws {
        let running = try Running()
        let answered = AtomicCounter()
        let failures = Mutex<[String]>([])
        let port = running.port
        // A request that fails is sent once more, and reported. Under the whole suite's parallel
        // load about one in a thousand used to fail: another test's LoopbackClient that could not
        // connect closed its descriptor twice, and the second close hit whatever socket had been
        // given that number meanwhile (fixed). More than 1 % of first tries failing fails the test.
        DispatchQueue.concurrentPerform(iterations: 400) { i in
            for _ in 0..<2 {
                do {
                    let response = try HTTPProbe.send(host: "127.0.0.1", port: port, bytes: Array(Self.announce(i % 200).utf8))
                    if response.status == 200 { answered.increment(); return }
                    failures.withLock { $0.append("status \(response.status)") }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        let failed = failures.withLock { $0 }
        #expect(answered.value == 400, "not answered after a second try: \(failed)")
        #expect(failed.count <= 4, "first tries failed: \(failed)")
        if !failed.isEmpty { Issue.record("retried \(failed.count) request(s): \(failed)", severity: .warning) }
        var waited = 0
        while running.server.openConnections > 0 && waited < 100 { usleep(10_000); waited += 1 }
        #expect(running.server.openConnections == 0)
    }
}

final class AtomicCounter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
