/// Turns a connection's announces and scrapes into one write and its replies into answers.
/// One per connection (a store thread's or a lane's): it keeps what that connection learned
/// (kept peer samples, held announce counts) and one reused buffer. `send` writes a batch;
/// `finish` reads its replies in order and answers each call exactly once.
final class RedisBatcher {
    struct Settings {
        var peerTimeout: Int64
        var limits: SwarmLimits
        /// Rack names by id, for the rack sets' keys.
        var racks: Racks
        /// Told each batch's round trip.
        var roundTrips: RoundTripObserver?
        /// HSCAN page size of a prune step (one page of each peer hash per announce that prunes).
        var prunePage: UInt16 = 256
        /// Most calls in one batch.
        var maxCalls = 256
    }

    let settings: Settings
    let monotonicSeconds: @Sendable () -> Double
    var sampler = RedisPeerSampler()
    var seen = FingerprintSet()
    private var counts = RedisAnnounceCounts()
    var steadyPeers: RedisSteadyPeers
    /// The batch in flight's commands (kept until it is finished: NOSCRIPT reruns read them).
    var writer = RESPWriter()

    init(settings: Settings, monotonicSeconds: @escaping @Sendable () -> Double) {
        self.settings = settings
        self.monotonicSeconds = monotonicSeconds
        steadyPeers = RedisSteadyPeers(peerTimeout: settings.peerTimeout)
    }

    /// True when a batch without calls may be worth sending: announce counts held for over a second.
    func hasHeldCounts() -> Bool {
        counts.mayHaveStranded(seconds: monotonicSeconds())
    }

    /// Writes every announce (the script, or an HSET for a steady one, and the peer sample) and
    /// scrape of `jobs`, and held counts that are due, in one write; session jobs are left to the
    /// caller. Nil when there was nothing to write, or the write failed (then its calls are
    /// answered already).
    func send(_ jobs: [RedisJob], with session: RedisSession) -> RedisBatch? {
        var batch = RedisBatch()
        writer.reset()
        let seconds = monotonicSeconds()
        for job in jobs {
            switch job {
            case let .announce(request, now, reply):
                let counted = counts.take(request.infoHash, nowMillis: now.milliseconds, seconds: seconds)
                let command = writer.commands
                let swarm = session.keys.swarmBase(request.infoHash), announcer = request.endpoint.compact
                let rack = request.rack == 0 ? nil : settings.racks.name(of: request.rack)
                var steadyWrite: RedisSteadyPeers.Stored?
                let fingerprint = steadyPeers.fingerprint(request.infoHash, announcer: announcer)
                if counted == 0, let stored = steadyPeers.steady(request, fingerprint: fingerprint, seconds: seconds) {
                    steadyWrite = writeSteady(request, now: now, stored: stored, swarm: swarm, announcer: announcer)
                } else {
                    writeAnnounce(request, now: now, counted: counted, swarm: swarm, announcer: announcer, rack: rack, session: session, into: &writer)
                }
                let plan = writeSample(request, now: now, swarm: swarm, announcer: announcer, rack: rack)
                batch.calls.append(.announce(batch.announces.count))
                batch.announces.append(.init(request: request, now: now, plan: plan, counted: counted, command: command,
                                             fingerprint: fingerprint, steady: steadyWrite, reply: ReplyOnce(reply)))
            case let .scrape(hashes, _, reply):
                for hash in hashes { RedisCountsReader.writeScrape(swarm: session.keys.swarmBase(hash), into: &writer) }
                batch.calls.append(.scrape(batch.scrapes.count))
                batch.scrapes.append(.init(hashes: hashes, reply: ReplyOnce(reply)))
            case .session:
                break
            }
        }
        for (hash, count) in counts.stranded(seconds: seconds) {
            batch.heldCounts.append(.init(infoHash: hash, count: count, command: writer.commands))
            session.writeCall(.count, swarm: session.keys.swarmBase(hash), argumentCount: 1, into: &writer)
            writer.bulk(count)
        }
        guard !batch.isEmpty else { return nil }
        do {
            try session.connection.appendEncoded(writer.bytes[...])
            try session.connection.flush()
        } catch {
            batch.failUnanswered()
            return nil
        }
        batch.sentAt = monotonicSeconds()
        return batch
    }

    /// Reads a sent batch's replies in order (each read bounded by the connection's timeout) and
    /// answers its calls. When the connection breaks half-way, what was not answered yet is
    /// answered as unavailable. The batch is consumed: answered in place, not copied first.
    func finish(_ batch: consuming RedisBatch, with session: RedisSession) {
        do {
            for call in batch.calls {
                switch call {
                case .announce(let i): try readAnnounce(&batch.announces[i], session: session)
                case .scrape(let i): batch.scrapes[i].reply.answer(try readScrape(batch.scrapes[i].hashes, session: session))
                }
            }
            let heldReplies = try batch.heldCounts.map { _ in try session.connection.readReply() }
            try rerunForgotten(&batch, heldReplies: heldReplies, session: session)
            try runGoneSteady(&batch, session: session)
            try answerAnnounces(&batch, session: session)
            settings.roundTrips?.report(seconds: monotonicSeconds() - batch.sentAt)
        } catch {
            // The connection broke: its owner connects again.
        }
        batch.failUnanswered()
    }

    /// The server forgot the scripts: once every reply of the batch is read, the announces and
    /// held counts that met NOSCRIPT run again. Those announces' samples saw the swarm as it was
    /// before them: good enough, once.
    private func rerunForgotten(_ batch: inout RedisBatch, heldReplies: [RedisReply], session: RedisSession) throws {
        let announces = batch.announces.indices.filter { batch.announces[$0].scriptReply.isNoScript }
        let held = batch.heldCounts.indices.filter { heldReplies[$0].isNoScript }
        let commands = announces.map { batch.announces[$0].command } + held.map { batch.heldCounts[$0].command }
        let replies = try session.rerunForgotten(commands, of: writer)
        for (i, reply) in zip(announces, replies) { batch.announces[i].scriptReply = reply }
    }

    private func readScrape(_ hashes: [InfoHash], session: RedisSession) throws -> Result<[ScrapeEntry], StoreError> {
        var entries: [ScrapeEntry] = []
        var failure: StoreError?
        for hash in hashes {
            let replies = try (0..<RedisCountsReader.repliesPerSwarm).map { _ in try session.connection.readReply() }
            switch RedisCountsReader.counts(fromScrape: replies[...]) {
            case .success(let counts?): entries.append(ScrapeEntry(infoHash: hash, counts: counts))
            case .success(nil): break
            case .failure(let error): failure = error
            }
        }
        return failure.map { .failure($0) } ?? .success(entries)
    }
}

@available(*, unavailable)
extension RedisBatcher: Sendable {}
