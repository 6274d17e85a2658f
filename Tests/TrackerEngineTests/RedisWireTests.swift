import Testing
@testable import TrackerEngine

/// The announce path's pure parts: RESP encoding, the peer sample's commands and its collection.
@Suite("Redis wire format and peer sampling")
struct RedisWireTests {
    let now = TrackerTime(seconds: 1_700_000_000)

    @Test("RESPWriter writes arrays of bulk strings byte for byte")
    func respEncoding() {
        var writer = RESPWriter()
        writer.command(3)
        writer.bulk("SET")
        writer.bulk(Array("tt:{ab}:".utf8), "s4")
        writer.bulk([UInt8]([0, 13, 10]))
        writer.command(4)
        writer.bulk("ZRANGE")
        writer.bulk(0)
        writer.bulk(Int64(-12))
        writer.bulk(1_700_000_000_123 as Int64)
        let expected = "*3\r\n$3\r\nSET\r\n$10\r\ntt:{ab}:s4\r\n$3\r\n\u{0}\r\n\r\n"
            + "*4\r\n$6\r\nZRANGE\r\n$1\r\n0\r\n$3\r\n-12\r\n$13\r\n1700000000123\r\n"
        #expect(writer.bytes == Array(expected.utf8))
        #expect(writer.commands == 2)
        writer.reset()
        #expect(writer.bytes.isEmpty && writer.commands == 0)
    }

    @Test("FingerprintSet refuses a repeat until cleared, across many clears")
    func fingerprints() {
        var set = FingerprintSet()
        var refusedFresh = 0, acceptedRepeat = 0
        for round in 0..<1000 {
            set.clear(expecting: 50)
            for value in 0..<50 where !set.insert(UInt64(value * 7 + round)) { refusedFresh += 1 }
            if set.insert(UInt64(round)) { acceptedRepeat += 1 }
            if set.insert(UInt64(49 * 7 + round)) { acceptedRepeat += 1 }
        }
        #expect(refusedFresh == 0)
        #expect(acceptedRepeat == 0)
        set.clear(expecting: 200)
        let afterGrowing = set.insert(3)
        #expect(afterGrowing)
    }

    @Test("FingerprintSet spreads the members of one address (same low bytes, other ports) over the table")
    func fingerprintsSpread() {
        let members = (1...200).map { port -> UInt64 in
            let member: [UInt8] = [127, 0, 0, 1, UInt8(port >> 8), UInt8(port & 0xFF)]
            return member.withUnsafeBytes { FingerprintSet.fingerprint($0) }
        }
        let homes = Set(members.map { FingerprintSet.home(of: $0, mask: 1023) })
        #expect(homes.count > 150, "\(homes.count) first slots for 200 members: each insert would walk the others")
    }

    @Test("unknown swarm: HRANDFIELD of the bound (distinct fields); a seeder reads leechers only; nothing for stopped or numwant 0")
    func planWithoutSizes() throws {
        var sampler = RedisPeerSampler()
        let base = Array("tt:{x}:".utf8)
        let leecher = Fixture.announce(Fixture.hash(1), Fixture.v4(1), left: 10, numwant: 20)
        var writer = RESPWriter()
        let plan = sampler.plan(for: leecher, now: now, announcer: leecher.endpoint.compact, swarm: base, family: .v4, rack: nil, into: &writer)
        #expect(plan.sources.map(\.isRead) == [true, true], "both sets are read from the server")
        #expect(plan.skip == Fixture.v4(1).compact)
        #expect(try Self.commands(writer.bytes) == [["HRANDFIELD", "tt:{x}:S4", "1000"], ["HRANDFIELD", "tt:{x}:L4", "1000"]])

        writer.reset()
        let seeder = Fixture.announce(Fixture.hash(1), Fixture.v4(2), left: 0, numwant: 20)
        #expect(sampler.plan(for: seeder, now: now, announcer: seeder.endpoint.compact, swarm: base, family: .v4, rack: nil, into: &writer).skip.isEmpty)
        #expect(try Self.commands(writer.bytes) == [["HRANDFIELD", "tt:{x}:L4", "1000"]])

        writer.reset()
        _ = sampler.plan(for: Fixture.announce(Fixture.hash(1), Fixture.v4(3), event: .stopped), now: now, announcer: [], swarm: base, family: .v4, rack: nil, into: &writer)
        _ = sampler.plan(for: Fixture.announce(Fixture.hash(1), Fixture.v4(3), numwant: 0), now: now, announcer: [], swarm: base, family: .v4, rack: nil, into: &writer)
        #expect(writer.bytes.isEmpty)
    }

    @Test("an announcer in a rack: its rack's sets first (SRANDMEMBER numwant + 1, never kept), then the swarm's")
    func planInRack() throws {
        var sampler = RedisPeerSampler()
        let base = Array("tt:{x}:".utf8)
        let leecher = Fixture.announce(Fixture.hash(1), Fixture.v4(1), left: 10, numwant: 20)
        var writer = RESPWriter()
        let plan = sampler.plan(for: leecher, now: now, announcer: leecher.endpoint.compact, swarm: base, family: .v4, rack: "r1", into: &writer)
        #expect(plan.sources.map(\.isRack) == [true, true, false, false])
        #expect(try Self.commands(writer.bytes) == [["SRANDMEMBER", "tt:{x}:r:r1:S4", "21"], ["SRANDMEMBER", "tt:{x}:r:r1:L4", "21"],
                                                    ["HRANDFIELD", "tt:{x}:S4", "1000"], ["HRANDFIELD", "tt:{x}:L4", "1000"]])
        writer.reset()
        let seeder = Fixture.announce(Fixture.hash(1), Fixture.v6(2), left: 0, numwant: 5)
        _ = sampler.plan(for: seeder, now: now, announcer: seeder.endpoint.compact, swarm: base, family: .v6, rack: "r1", into: &writer)
        #expect(try Self.commands(writer.bytes) == [["SRANDMEMBER", "tt:{x}:r:r1:L6", "6"], ["HRANDFIELD", "tt:{x}:L6", "1000"]])
    }

    @Test("known swarm: the same read, the bound of each set's fields, however big the set")
    func planWithSizes() throws {
        var sampler = RedisPeerSampler(maxMembers: 50)
        let base = Array("k:".utf8)
        let request = Fixture.announce(Fixture.hash(2), Fixture.v4(1), left: 10, numwant: 50)
        for (seeders, leechers) in [(30, 70), (0, 5000)] {
            sampler.remember(request, seeders: seeders, leechers: leechers)
            var writer = RESPWriter()
            _ = sampler.plan(for: request, now: now, announcer: request.endpoint.compact, swarm: base, family: .v4, rack: nil, into: &writer)
            #expect(try Self.commands(writer.bytes) == [["HRANDFIELD", "k:S4", "50"], ["HRANDFIELD", "k:L4", "50"]])
        }
    }

    @Test("kept members: no commands while the set's size holds and they are fresh; read again when either changes")
    func keptMembers() throws {
        var sampler = RedisPeerSampler(maxRemembered: 3, maxAgeMillis: 2000)
        let base = Array("k:".utf8)
        let request = Fixture.announce(Fixture.hash(3), Fixture.v4(1), left: 10, numwant: 50)
        let seeders = (11...13).flatMap { Fixture.v4(UInt8($0)).compact }
        let leechers = (1...5).flatMap { Fixture.v4(UInt8($0)).compact }
        sampler.remember(request, seeders: 3, leechers: 5)
        func plan(at time: TrackerTime) throws -> (RedisPeerSampler.Plan, [[String]]) {
            var writer = RESPWriter()
            let plan = sampler.plan(for: request, now: time, announcer: request.endpoint.compact, swarm: base, family: .v4, rack: nil, into: &writer)
            return (plan, try Self.commands(writer.bytes))
        }
        let (first, commands) = try plan(at: now)
        #expect(commands.count == 2)
        sampler.keep(seeders, memberSize: 6, for: first.sources[0].key, now: now)
        sampler.keep(leechers, memberSize: 6, for: first.sources[1].key, now: now)

        let (cached, none) = try plan(at: now.adding(seconds: 1))
        #expect(none.isEmpty && !cached.sources.contains(where: \.isRead), "fresh and the same sizes: nothing asked")
        var seen = FingerprintSet()
        for _ in 0..<50 {
            var collector = RedisSampleCollector(plan: cached, memberSize: 6, seen: &seen)
            sampler.draw(cached, memberSize: 6, into: &collector, seen: &seen)
            let drawn = stride(from: 0, to: collector.compact.count, by: 6).map { Array(collector.compact[$0..<$0 + 6]) }
            #expect(drawn.count == 7, "3 seeders and 4 leechers: everyone but the announcer")
            #expect(Set(drawn).count == 7 && !drawn.contains(Fixture.v4(1).compact))
            #expect(Set(drawn.prefix(3)) == Set((11...13).map { Fixture.v4(UInt8($0)).compact }), "seeders first")
        }

        // A plan carries its members: kept members cleared at the bound (three sets here) while its
        // batch is read do not empty its sample.
        for role in [true, false] {
            sampler.keep(seeders, memberSize: 6, for: RedisPeerSampler.SetKey(infoHash: Fixture.hash(4), v6: false, seeders: role), now: now)
        }
        #expect(try plan(at: now.adding(seconds: 1)).1.count == 2, "the clear forgot the members")
        var collector = RedisSampleCollector(plan: cached, memberSize: 6, seen: &seen)
        sampler.draw(cached, memberSize: 6, into: &collector, seen: &seen)
        #expect(collector.compact.count == 7 * 6)
        sampler.keep(seeders, memberSize: 6, for: first.sources[0].key, now: now)
        sampler.keep(leechers, memberSize: 6, for: first.sources[1].key, now: now)

        #expect(try plan(at: now.adding(seconds: 2)).1.count == 2, "too old: read again")
        sampler.remember(request, seeders: 4, leechers: 5)
        let (_, grown) = try plan(at: now.adding(seconds: 1))
        #expect(grown.map { $0[1] } == ["k:S4"], "the seeders' size changed: only they are read again")
    }

    @Test("announce counts: handed over at most once a second per swarm, held ones with the next or on their own")
    func announceCounts() {
        var counts = RedisAnnounceCounts(intervalMillis: 1000, maxSwarms: 2)
        let a = Fixture.hash(1), b = Fixture.hash(2), c = Fixture.hash(3)
        #expect(counts.take(a, nowMillis: 10_000, seconds: 0) == 1, "a new swarm's first announce counts at once")
        #expect(counts.take(a, nowMillis: 10_400, seconds: 0.4) == 0)
        #expect(counts.take(a, nowMillis: 10_900, seconds: 0.9) == 0)
        #expect(counts.take(a, nowMillis: 11_000, seconds: 1.0) == 3, "a second later: itself and the two held")
        #expect(counts.take(a, nowMillis: 11_100, seconds: 1.1) == 0)
        #expect(counts.take(b, nowMillis: 11_100, seconds: 1.1) == 1)
        #expect(counts.take(c, nowMillis: 11_100, seconds: 1.1) == 1)
        #expect(counts.take(c, nowMillis: 11_200, seconds: 1.2) == 1, "past the bound of swarms, nothing is held")
        #expect(counts.stranded(seconds: 1.5).isEmpty, "held for under a second")
        #expect(counts.stranded(seconds: 2.2).isEmpty, "looked for at most once a second")
        let stranded = counts.stranded(seconds: 2.6)
        #expect(stranded.map(\.infoHash) == [a] && stranded.map(\.count) == [1])
        #expect(counts.take(a, nowMillis: 12_700, seconds: 2.7) == 1, "handed over: nothing held any more")
        #expect(counts.take(a, nowMillis: 11_000, seconds: 2.8) == 1, "a clock that went back holds nothing")
    }

    @Test("the collector keeps members of the right size, never the announcer, no repeats, at most numwant")
    func collector() {
        var seen = FingerprintSet()
        let plan = RedisPeerSampler.Plan(numwant: 3, skip: [1, 1, 1, 1, 1, 1])
        var collector = RedisSampleCollector(plan: plan, memberSize: 6, seen: &seen)
        for member: [UInt8] in [[1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 2, 2], [3, 3, 3], [2, 2, 2, 2, 2, 2], [4, 4, 4, 4, 4, 4],
                                [5, 5, 5, 5, 5, 5], [6, 6, 6, 6, 6, 6]] {
            member.withUnsafeBytes { collector.add($0, seen: &seen) }
        }
        #expect(collector.compact == [2, 2, 2, 2, 2, 2, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5])
        #expect(collector.isFull)
    }

    @Test("a set's members are copied in runs from the offset, wrapping round, without the announcer; a second set's repeats are left out")
    func drawRuns() {
        let member: (UInt8) -> [UInt8] = { [10, 0, 0, $0, 0x1A, 0xE1] }
        let members = (0..<10).flatMap { member(UInt8($0)) }
        var seen = FingerprintSet()
        func drawn(_ plan: RedisPeerSampler.Plan, from first: Int) -> [UInt8] {
            var collector = RedisSampleCollector(plan: plan, memberSize: 6, seen: &seen)
            members.withUnsafeBytes { collector.addDistinct($0, count: 10, from: first) }
            return collector.compact
        }
        let plan = RedisPeerSampler.Plan(numwant: 5, skip: member(1))
        #expect(drawn(plan, from: 8) == [8, 9, 0, 2, 3].flatMap { member($0) }, "wrapped round, the announcer left out")
        #expect(drawn(plan, from: 2) == [2, 3, 4, 5, 6].flatMap { member($0) })
        #expect(drawn(RedisPeerSampler.Plan(numwant: 50, skip: member(9)), from: 5) == [5, 6, 7, 8, 0, 1, 2, 3, 4].flatMap { member($0) },
                "everyone but the announcer")
        #expect(drawn(RedisPeerSampler.Plan(numwant: 3), from: 9) == [9, 0, 1].flatMap { member($0) }, "a seeder skips no one")

        // Two sets that share members (a rack's set and its swarm's hash): no member twice.
        var sampler = RedisPeerSampler()
        let key = RedisPeerSampler.SetKey(infoHash: Fixture.hash(5), v6: false, seeders: false)
        let two = RedisPeerSampler.Plan(sources: [.init(key: key, isRead: false, members: (0..<4).flatMap { member(UInt8($0)) }),
                                                  .init(key: key, isRead: false, members: (2..<8).flatMap { member(UInt8($0)) })],
                                        numwant: 50, skip: member(7))
        for _ in 0..<20 {
            var collector = RedisSampleCollector(plan: two, memberSize: 6, seen: &seen)
            sampler.draw(two, memberSize: 6, into: &collector, seen: &seen)
            let got = stride(from: 0, to: collector.compact.count, by: 6).map { Array(collector.compact[$0..<$0 + 6]) }
            #expect(got.count == 7 && Set(got) == Set((0..<7).map { member(UInt8($0)) }), "\(got)")
            #expect(Set(got.prefix(4)) == Set((0..<4).map { member(UInt8($0)) }), "the first set first")
        }
    }

    /// Splits RESP arrays of bulk strings back into their arguments.
    static func commands(_ bytes: [UInt8]) throws -> [[String]] {
        var out: [[String]] = []
        var i = 0
        func line() throws -> String {
            let start = i
            while i + 1 < bytes.count, !(bytes[i] == 13 && bytes[i + 1] == 10) { i += 1 }
            try #require(i + 1 < bytes.count)
            defer { i += 2 }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }
        while i < bytes.count {
            let header = try line()
            try #require(header.first == "*")
            var command: [String] = []
            for _ in 0..<(Int(header.dropFirst()) ?? 0) {
                let length = try #require(Int(try line().dropFirst()))
                command.append(String(decoding: bytes[i..<i + length], as: UTF8.self))
                i += length + 2
            }
            out.append(command)
        }
        return out
    }
}
