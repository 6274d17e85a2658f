import Dispatch
import Foundation
import Glibc
import Testing
import TrackerTestSupport
@testable import TrackerEngine

/// What only the Redis store has: several stores (nodes) on one prefix, each with its own idea of
/// the swarms' sizes. Against the tests' real redis-server.
@Suite("Redis store")
struct RedisStoreTests {
    let now = TrackerTime(seconds: 1_700_000_000)

    @Test("a node that has never seen a swarm still samples it whole")
    func freshNodeSamples() async throws {
        let prefix = TestRedis.uniquePrefix()
        let a = RedisSwarmStore(endpoint: TestRedis.shared.endpoint, prefix: prefix, threads: 1)
        defer { a.shutdown() }
        let h = Fixture.hash(70)
        for i in 1...30 { _ = try await a.announce(Fixture.announce(h, Fixture.v4(UInt8(i)), id: UInt64(i), left: 5), now: now) }

        let leecherNode = RedisSwarmStore(endpoint: TestRedis.shared.endpoint, prefix: prefix, threads: 1)
        defer { leecherNode.shutdown() }
        let leecher = try await leecherNode.announce(Fixture.announce(h, Fixture.v4(31), id: 31, left: 5, numwant: 20), now: now)
        #expect(leecher.peers(family: .ipv4).count == 20, "leechers only in the swarm: the sample is all leechers")

        let seederNode = RedisSwarmStore(endpoint: TestRedis.shared.endpoint, prefix: prefix, threads: 1)
        defer { seederNode.shutdown() }
        let seeder = try await seederNode.announce(Fixture.announce(h, Fixture.v4(32), id: 32, left: 0, numwant: 50), now: now)
        #expect(Set(seeder.peers(family: .ipv4)).count == 31)
        #expect(seeder.counts == SwarmCounts(seeders: 1, leechers: 31, completed: 0))
    }

    @Test("a big swarm is pruned a page at a time by announces, and whole by the sweep")
    func bigSwarmPruning() async throws {
        // 700 peers per client: counting per client starts when the swarm reaches 700, and the
        // second round of 700 from the same address fits only if pruning gave their places back.
        let store = RedisSwarmStore(endpoint: TestRedis.shared.endpoint, prefix: TestRedis.uniquePrefix(), peerTimeout: 100, threads: 1,
                                    limits: SwarmLimits(maxPeersPerClient: 700))
        defer { store.shutdown() }
        let h = Fixture.hash(74)
        for i in 0..<700 { _ = try await store.announce(Fixture.announce(h, Fixture.v4(1, port: UInt16(1000 + i)), id: UInt64(i), left: 5), now: now) }
        // 200 s later every one of them is past the timeout; a hash this big is no listpack, so a
        // prune step reads a page of it and the next announce goes on where it stopped.
        let later = now.adding(seconds: 200)
        var leechers: [Int] = []
        for _ in 0..<20 where leechers.last != 1 {
            leechers.append(try await store.announce(Fixture.announce(h, Fixture.v4(2), id: 9999, left: 5), now: later).counts.leechers)
        }
        #expect(leechers.first.map { $0 > 1 && $0 < 701 } == true, "one page per announce, not the whole swarm: \(leechers)")
        #expect(leechers.last == 1, "every expired peer pruned within a few announces: \(leechers)")

        for i in 0..<700 { _ = try await store.announce(Fixture.announce(h, Fixture.v4(1, port: UInt16(1000 + i)), id: UInt64(i), left: 5), now: later) }
        #expect(try await store.expire(now: later.adding(seconds: 200)) == 701)
        #expect(try await store.scrape([h], now: later).isEmpty, "the empty swarm without completions is forgotten")
    }

    @Test("announce counts held within a second reach the lifecycle on their own once the swarm goes quiet")
    func heldCountsReachRedis() async throws {
        // The store's monotonic clock is stepped by hand: what is held within a second is decided
        // by the test, not by how fast the machine runs it.
        let monotonic = Locked(1000.0)
        let store = RedisSwarmStore(endpoint: TestRedis.shared.endpoint, prefix: TestRedis.uniquePrefix(), threads: 1,
                                    monotonicSeconds: { monotonic.value })
        defer { store.shutdown() }
        let h = Fixture.hash(76)
        for i in 1...10 { _ = try await store.announce(Fixture.announce(h, Fixture.v4(UInt8(i)), id: UInt64(i)), now: now) }
        func announces() async throws -> UInt64? { try await store.torrents(now: now).first { $0.infoHash == h }?.announces }
        #expect(try await announces() == 1, "the first is counted at once, the next nine within its second are held")
        monotonic.value += 1.5
        var seen: [UInt64?] = []
        for _ in 0..<50 where seen.last != 10 {  // bounded: 5 s
            try await Task.sleep(nanoseconds: 100_000_000)
            seen.append(try await announces())
        }
        #expect(seen.last == 10, "the held nine handed over by the idle store thread: \(seen)")
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(1), id: 1), now: now.adding(seconds: 1))
        #expect(try await announces() == 11, "a second later an announce hands over its own count at once")
    }

    @Test("held counts go only to swarms that still exist, and survive the server forgetting the scripts")
    func heldCountsKeepToLiveSwarms() async throws {
        let redis = try TestRedis()  // its own server: a flush must not reach other tests
        defer { redis.stop() }
        let prefix = TestRedis.uniquePrefix()
        let store = RedisSwarmStore(endpoint: redis.endpoint, prefix: prefix, threads: 1)
        defer { store.shutdown() }
        let kept = Fixture.hash(77), purged = Fixture.hash(78)
        for h in [kept, purged] {
            for i in 1...2 { _ = try await store.announce(Fixture.announce(h, Fixture.v4(UInt8(i)), id: UInt64(i)), now: now) }
        }
        #expect(try await store.purge(purged))
        let side = try RedisConnection(redis.endpoint, timeout: 1)
        _ = try side.command(["SCRIPT", "FLUSH"])
        var seen: [UInt64?] = []
        for _ in 0..<50 where seen.last != 2 {  // bounded: 5 s
            try await Task.sleep(nanoseconds: 100_000_000)
            seen.append(try await store.torrents(now: now).first { $0.infoHash == kept }?.announces)
        }
        #expect(seen.last == 2, "the held count handed over, its script loaded again: \(seen)")
        #expect(try side.command(["EXISTS", "\(prefix):{\(purged.hex)}:t"]) == .integer(0), "no lifecycle made again for a purged swarm")
    }

    @Test("the sweep drops members of the torrents set that are no info-hash, and still sweeps the swarms beside them")
    func sweepDropsJunkMembers() async throws {
        let prefix = TestRedis.uniquePrefix()
        let store = RedisSwarmStore(endpoint: TestRedis.shared.endpoint, prefix: prefix, peerTimeout: 100, threads: 1)
        defer { store.shutdown() }
        let h = Fixture.hash(79)
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(1), id: 1), now: now)
        let side = try RedisConnection(TestRedis.shared.endpoint, timeout: 1)
        _ = try side.command(["ZADD", "\(prefix):torrents", "1", "not a hash", "2", String(repeating: "z", count: 40)])
        #expect(try await store.expire(now: now.adding(seconds: 200)) == 1, "the real swarm's expired peer")
        #expect(try side.command(["ZRANGE", "\(prefix):torrents", "0", "-1"]) == .array([]), "junk and the forgotten swarm are gone")
    }

    @Test("an older key layout is upgraded once: its peer keys go, lifecycles and completed counts stay")
    func layoutUpgrade() async throws {
        let prefix = TestRedis.uniquePrefix()
        let h = Fixture.hash(75)
        let side = try RedisConnection(TestRedis.shared.endpoint, timeout: 1)
        let base = "\(prefix):{\(h.hex)}:"
        _ = try side.command(["ZADD", "\(prefix):torrents", "1", h.hex])
        _ = try side.command(["ZADD", base + "s4", "9999999999999", "abcdef"])
        _ = try side.command(["HSET", base + "d", "abcdef", String(repeating: "x", count: 57)])
        _ = try side.command(["HSET", base + "t", "completed", "3", "last_activity", String(now.seconds)])
        let store = RedisSwarmStore(endpoint: TestRedis.shared.endpoint, prefix: prefix, threads: 1)
        defer { store.shutdown() }
        #expect(try await store.scrape([h], now: now).first?.counts == SwarmCounts(seeders: 0, leechers: 0, completed: 3))
        #expect(try side.command(["EXISTS", base + "s4", base + "d"]) == .integer(0))
        #expect(try side.command(["GET", "\(prefix):layout"]) == .string(Array(RedisLayout.version.utf8)))
        let r = try await store.announce(Fixture.announce(h, Fixture.v4(1), id: 1, left: 0), now: now)
        #expect(r.counts == SwarmCounts(seeders: 1, leechers: 0, completed: 3))
    }

    @Test("scripts flushed from the server are loaded again: announces and sweeps go on")
    func scriptsReloaded() async throws {
        let redis = try TestRedis()  // its own server: a flush must not reach other tests
        defer { redis.stop() }
        let store = RedisSwarmStore(endpoint: redis.endpoint, prefix: TestRedis.uniquePrefix(), threads: 1)
        defer { store.shutdown() }
        let h = Fixture.hash(72)
        _ = try await store.announce(Fixture.announce(h, Fixture.v4(1), id: 1, left: 0), now: now)
        let side = try RedisConnection(redis.endpoint, timeout: 1)
        _ = try side.command(["SCRIPT", "FLUSH"])
        let r = try await store.announce(Fixture.announce(h, Fixture.v4(2), id: 2, left: 5), now: now)
        #expect(r.counts == SwarmCounts(seeders: 1, leechers: 1, completed: 0))
        #expect(r.peers(family: .ipv4) == [Fixture.v4(1)])

        // A batch of several announces meets NOSCRIPT: each runs again once all replies are read.
        _ = try side.command(["SCRIPT", "FLUSH"])
        let lane = store.makeLane()
        let results = Locked<[Result<AnnounceResult, StoreError>]>([])
        for i in 3...6 {
            lane.announce(Fixture.announce(h, Fixture.v4(UInt8(i)), id: UInt64(i), left: 5), now: now) { r in results.update { $0.append(r) } }
        }
        lane.send()
        #expect(!lane.driveUntilAnswered())
        let leechers = results.value.compactMap { try? $0.get().counts.leechers }
        #expect(leechers.count == 4, "\(results.value)")
        #expect(leechers.max() == 5, "the leecher before and these four")

        _ = try side.command(["SCRIPT", "FLUSH"])
        #expect(try await store.expire(now: now.adding(seconds: 7200)) == 6)
    }

    @Test("a connection that breaks half-way through a batch answers every job of it, once")
    func brokenMidBatch() async throws {
        // A fake server: loads scripts and answers PING, then answers only the batch's first
        // scrape (five commands) and hangs up.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        try #require(withSocketAddress(host: "127.0.0.1", port: 0) { bind(listener, $0, $1) } == 0 && listen(listener, 1) == 0)
        let port = try #require(boundPort(listener))
        let server = Thread {
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { return }
            defer { close(fd) }
            var input: [UInt8] = []
            var answered = 0
            while answered < 5 {
                var chunk = [UInt8](repeating: 0, count: 65_536)
                let count = read(fd, &chunk, chunk.count)
                guard count > 0 else { return }
                input += chunk[0..<count]
                var reply = ""
                for command in Self.completeCommands(&input) {
                    if let setup = Self.connectionSetupReply(command) {
                        reply += setup
                    } else if command.first == "PING" {
                        reply += "+PONG\r\n"
                    } else if answered < 5 {
                        reply += answered == 0 ? "*2\r\n$-1\r\n$-1\r\n" : ":1\r\n"
                        answered += 1
                    }
                }
                _ = reply.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
            }
        }
        server.start()

        let store = RedisSwarmStore(endpoint: RedisEndpoint(address: .tcp(host: "127.0.0.1", port: port)), prefix: "t", threads: 1)
        defer { store.shutdown() }
        // A lane (the fake server's one connection): the three jobs below make one batch.
        let lane = store.makeLane()
        let replies = Locked<[String: [String]]>([:])
        let group = DispatchGroup()
        @Sendable func record(_ job: String, _ outcome: String) {
            replies.update { $0[job, default: []].append(outcome) }
            group.leave()
        }
        for _ in 0..<3 { group.enter() }
        lane.scrape([Fixture.hash(80)], now: now) { record("scrape 1", (try? $0.get().first?.counts.leechers).map { "\($0)" } ?? "failed") }
        lane.announce(Fixture.announce(Fixture.hash(81), Fixture.v4(1)), now: now) { record("announce", $0 == .failure(.unavailable) ? "unavailable" : "\($0)") }
        lane.scrape([Fixture.hash(82)], now: now) { record("scrape 2", $0 == .failure(.unavailable) ? "unavailable" : "\($0)") }
        lane.send()
        #expect(!lane.driveUntilAnswered(), "the batch is answered, not left out")
        #expect(group.wait(timeout: .now() + 5) == .success, "every job answered: \(replies.value)")
        usleep(100_000)  // a second answer would come now
        #expect(replies.value == ["scrape 1": ["2"], "announce": ["unavailable"], "scrape 2": ["unavailable"]])
    }

    @Test("a lane whose server goes silent answers its batch as unavailable after the timeout and connects again")
    func silentServer() throws {
        // A fake server: answers each connection's setup, never anything else.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        try #require(withSocketAddress(host: "127.0.0.1", port: 0) { bind(listener, $0, $1) } == 0 && listen(listener, 4) == 0)
        let port = try #require(boundPort(listener))
        let connections = Locked(0)
        let server = Thread {
            while connections.value < 2 {
                let fd = accept(listener, nil, nil)
                guard fd >= 0 else { return }
                connections.update { $0 += 1 }
                Thread {
                    defer { close(fd) }
                    var input: [UInt8] = []
                    for _ in 0..<100 {
                        var chunk = [UInt8](repeating: 0, count: 65_536)
                        let count = read(fd, &chunk, chunk.count)
                        guard count > 0 else { return }
                        input += chunk[0..<count]
                        let reply = Self.completeCommands(&input).compactMap(Self.connectionSetupReply).joined()
                        _ = reply.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
                    }
                }.start()
            }
        }
        server.start()

        let store = RedisSwarmStore(endpoint: RedisEndpoint(address: .tcp(host: "127.0.0.1", port: port)), prefix: "t", threads: 1, timeout: 0.3)
        defer { store.shutdown() }
        let lane = store.makeLane()
        let outcome = Locked<[String]>([])
        lane.announce(Fixture.announce(Fixture.hash(90), Fixture.v4(1)), now: now) { result in
            outcome.update { $0.append(result == .failure(.unavailable) ? "unavailable" : "\(result)") }
        }
        lane.send()
        let first = try #require(lane.waitDescriptor, "the batch is out, waiting for the server")
        #expect(lane.checkStalled(now: MonotonicClock.seconds()), "not stalled yet")
        #expect(outcome.value.isEmpty)
        #expect(!lane.checkStalled(now: MonotonicClock.seconds() + 1), "given up after the timeout")
        #expect(outcome.value == ["unavailable"])
        #expect(lane.waitDescriptor == nil)

        // The next batch goes out on a new connection (the old one was dropped).
        usleep(100_000)  // past the first reconnection backoff
        lane.announce(Fixture.announce(Fixture.hash(90), Fixture.v4(2)), now: now) { _ in outcome.update { $0.append("second") } }
        lane.send()
        let second = try #require(lane.waitDescriptor)
        #expect(second.generation != first.generation)
        #expect(connections.value == 2)
        lane.checkStalled(now: MonotonicClock.seconds() + 1)
        #expect(outcome.value == ["unavailable", "second"])
    }

    /// A fake server's reply to what every new connection sends first (the key layout check, the
    /// scripts); nil for anything else.
    static func connectionSetupReply(_ command: [String]) -> String? {
        switch command.first {
        case "GET": "$1\r\n\(RedisLayout.version)\r\n"
        case "SCRIPT": "$40\r\n" + String(repeating: "a", count: 40) + "\r\n"
        default: nil
        }
    }

    /// Takes the complete RESP commands off the front of `input`, as their arguments.
    static func completeCommands(_ input: inout [UInt8]) -> [[String]] {
        var commands: [[String]] = []
        var i = 0
        func line() -> String? {
            var end = i
            while end + 1 < input.count, !(input[end] == 13 && input[end + 1] == 10) { end += 1 }
            guard end + 1 < input.count else { return nil }
            defer { i = end + 2 }
            return String(decoding: input[i..<end], as: UTF8.self)
        }
        while true {
            let start = i
            guard let header = line(), let count = Int(header.dropFirst()) else { i = start; break }
            var command: [String] = []
            for _ in 0..<count {
                guard let length = line().flatMap({ Int($0.dropFirst()) }), i + length + 2 <= input.count else { break }
                command.append(String(decoding: input[i..<i + length], as: UTF8.self))
                i += length + 2
            }
            guard command.count == count else { i = start; break }
            commands.append(command)
        }
        input.removeFirst(i)
        return commands
    }
}
