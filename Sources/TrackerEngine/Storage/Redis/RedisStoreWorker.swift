import CHiredis
import Glibc

/// One store thread: owns one connection, takes whatever jobs are queued, writes all their
/// commands in one go, then reads the replies in order (pipelining). While Redis is unreachable
/// it fails jobs at once and retries the connection with backoff (50 ms doubling to 2 s).
final class RedisStoreWorker {
    struct Settings {
        var endpoint: RedisEndpoint
        var keys: RedisKeys
        var timeout: Double
        var peerTimeout: Int64
        var limits: SwarmLimits
        /// HSCAN page size of a prune step (one page of each peer hash per announce that prunes).
        var prunePage: UInt16 = 256
        var batch = 256
    }

    private let settings: Settings
    private let queue: RedisJobQueue
    /// The connection while it is up (`liveSession()` makes it again).
    private(set) var session: RedisSession?
    /// Connections made so far: a new one may reuse a closed one's descriptor number.
    private(set) var connectionsMade = 0
    private var sampler = RedisPeerSampler()
    private var counts = RedisAnnounceCounts()
    private var seen = FingerprintSet()
    private var writer = RESPWriter()
    private var backoff = 0.05
    private var nextAttempt = 0.0

    init(settings: Settings, queue: RedisJobQueue) {
        self.settings = settings
        self.queue = queue
    }

    func run() {
        // Waking at least once a second hands over announce counts held for idle swarms.
        while let batch = queue.take(max: settings.batch, waitingAtMost: 1) {
            if batch.isEmpty, !hasStrandedCounts() { continue }
            guard let session = liveSession() else {
                batch.forEach { $0.fail() }
                continue
            }
            serve(batch, with: session)
        }
    }

    /// The connection, made again (with backoff) when it broke; nil while Redis is unreachable.
    /// Connecting blocks for at most the timeout, and only when an attempt is due.
    func liveSession() -> RedisSession? {
        if let session, !session.connection.isBroken { return session }
        session = nil
        let now = MonotonicClock.seconds()
        guard now >= nextAttempt else { return nil }
        do {
            session = try RedisSession(connection: RedisConnection(settings.endpoint, timeout: settings.timeout), keys: settings.keys)
            connectionsMade += 1
            backoff = 0.05
            return session
        } catch {
            nextAttempt = now + backoff
            backoff = min(backoff * 2, 2)
            return nil
        }
    }

    /// Drops the connection (a batch that waited too long); the next `liveSession()` reconnects.
    func dropSession() {
        session = nil
    }

    /// An announce between writing its commands and answering it.
    fileprivate struct PendingAnnounce {
        var request: AnnounceRequest
        var now: TrackerTime
        var reply: @Sendable (Result<AnnounceResult, StoreError>) -> Void
        var plan: RedisPeerSampler.Plan
        /// The announces its script adds to the swarm's count (`RedisAnnounceCounts`).
        var counted: Int
        var outcome: Result<AnnounceResult, StoreError> = .failure(.unavailable)
    }

    /// A batch whose commands are written and whose replies are still to be read.
    struct InFlight {
        fileprivate var batch: [RedisJob]
        fileprivate var announces: [PendingAnnounce]
        /// Held announce counts handed over after the jobs' commands, one reply each.
        fileprivate var stranded: [(infoHash: InfoHash, count: Int)]
        /// When it was written (`seconds()`), for callers that give up on a silent server.
        let sentAt: Double

        /// Answers every announce and scrape as unavailable (the server stayed silent).
        func failAll() {
            RedisStoreWorker.failCalls(batch)
        }
    }

    /// Answers a batch's announces and scrapes as unavailable; its session jobs run later.
    fileprivate static func failCalls(_ batch: [RedisJob]) {
        for job in batch where !job.isSession { job.fail() }
    }

    /// Writes a store thread's batch and answers it; then runs its session jobs one at a time.
    private func serve(_ batch: [RedisJob], with session: RedisSession) {
        if let inFlight = send(batch, with: session) { finish(inFlight, with: session) }
        for job in batch {
            guard case .session(let body) = job else { continue }
            body(session.connection.isBroken ? liveSession() : session)
        }
    }

    /// Every announce (script + peer sample) and scrape of the batch, in one write; session jobs
    /// are left to the caller. Nil when the write failed: then its jobs are answered already.
    func send(_ batch: [RedisJob], with session: RedisSession) -> InFlight? {
        var announces: [PendingAnnounce] = []
        writer.reset()
        let seconds = MonotonicClock.seconds()
        for job in batch {
            switch job {
            case let .announce(request, now, reply):
                let counted = counts.take(request.infoHash, nowMillis: now.milliseconds, seconds: seconds)
                let base = session.keys.swarmBase(request.infoHash), announcer = request.endpoint.compact
                writeAnnounceScript(request, now: now, counted: counted, swarm: base, announcer: announcer, session: session)
                let plan = writeSample(request, now: now, swarm: base, announcer: announcer)
                announces.append(PendingAnnounce(request: request, now: now, reply: reply, plan: plan, counted: counted))
            case let .scrape(hashes, _, _):
                for hash in hashes { encodeScrape(hash, session: session) }
            case .session:
                break
            }
        }
        let stranded = counts.stranded(seconds: seconds)
        for (hash, count) in stranded { writeCount(count, of: hash, session: session) }
        guard writer.commands > 0 else { return nil }
        do {
            try session.connection.appendEncoded(writer.bytes)
            try session.connection.flush()
        } catch {
            Self.failCalls(batch)
            return nil
        }
        return InFlight(batch: batch, announces: announces, stranded: stranded, sentAt: MonotonicClock.seconds())
    }

    /// True when a batch without jobs may be worth sending: announce counts held for over a second.
    func hasStrandedCounts() -> Bool {
        counts.mayHaveStranded(seconds: MonotonicClock.seconds())
    }

    /// Reads a sent batch's replies in order and answers its announces and scrapes. It waits until
    /// they are all in, each read bounded by the timeout; when the connection breaks half-way,
    /// whatever was not answered is answered as unavailable, once.
    func finish(_ inFlight: InFlight, with session: RedisSession) {
        var announces = inFlight.announces
        // How far answering got: scrapes are answered in order as their replies are read,
        // announces all together once their peer ids are in.
        var scrapesAnswered = 0
        var announcesAnswered = false
        do {
            var next = 0
            var scriptReplies: [RedisReply] = []
            for job in inFlight.batch {
                switch job {
                case .announce:
                    scriptReplies.append(try readAnnounce(&announces[next], session: session))
                    next += 1
                case let .scrape(hashes, _, reply):
                    reply(try readScrape(hashes, session: session))
                    scrapesAnswered += 1
                case .session:
                    break
                }
            }
            let countReplies = try inFlight.stranded.map { _ in try session.connection.readReply() }
            try runForgottenScripts(&announces, scriptReplies: &scriptReplies, counts: inFlight.stranded, countReplies: countReplies,
                                    session: session)
            var touched: [(hex: String, millis: Int64)] = []
            for i in announces.indices where complete(&announces[i], scriptReply: scriptReplies[i]) {
                touched.append((announces[i].request.infoHash.hex, announces[i].now.milliseconds))
            }
            // Peer ids for the few clients that still want them: one more round trip.
            try addPeerIDs(&announces, session: session)
            for announce in announces { announce.reply(announce.outcome) }
            announcesAnswered = true
            // Swarms whose last activity in the torrents set is over 10 s old.
            if !touched.isEmpty {
                _ = try session.pipeline(touched.map { [Array("ZADD".utf8), Array(session.keys.torrents.utf8),
                                                         Array(String($0.millis).utf8), Array($0.hex.utf8)] })
            }
        } catch {
            var scrape = 0
            for job in inFlight.batch {
                switch job {
                case .announce: if !announcesAnswered { job.fail() }
                case .scrape:
                    if scrape >= scrapesAnswered { job.fail() }
                    scrape += 1
                case .session: break
                }
            }
        }
    }

    /// The server forgot the scripts (SCRIPT FLUSH): once every reply of the batch is read, loads
    /// them and runs the announces and count hand-overs that met NOSCRIPT again, in one round
    /// trip. Those announces' samples saw the swarm as it was before them: good enough, once.
    private func runForgottenScripts(_ announces: inout [PendingAnnounce], scriptReplies: inout [RedisReply],
                                     counts: [(infoHash: InfoHash, count: Int)], countReplies: [RedisReply], session: RedisSession) throws {
        let forgotten = announces.indices.filter { scriptReplies[$0].isNoScript }
        let forgottenCounts = counts.indices.filter { countReplies[$0].isNoScript }
        guard !forgotten.isEmpty || !forgottenCounts.isEmpty else { return }
        try session.loadScripts()
        writer.reset()
        for i in forgotten {
            let request = announces[i].request
            writeAnnounceScript(request, now: announces[i].now, counted: announces[i].counted,
                                swarm: session.keys.swarmBase(request.infoHash), announcer: request.endpoint.compact, session: session)
        }
        for i in forgottenCounts { writeCount(counts[i].count, of: counts[i].infoHash, session: session) }
        for (i, reply) in zip(forgotten, try session.pipeline(writer)) { scriptReplies[i] = reply }
    }

    /// Reads an announce's script reply, which it returns, and its sample's members.
    private func readAnnounce(_ announce: inout PendingAnnounce, session: RedisSession) throws -> RedisReply {
        let result = try session.connection.readReply()
        let size = announce.request.endpoint.compactSize
        for i in announce.plan.sources.indices where announce.plan.sources[i].isRead {
            var members: [UInt8] = []
            _ = try session.connection.readMembers(size: size) { members.append(contentsOf: $0) }
            sampler.keep(members, memberSize: size, for: announce.plan.sources[i].key, now: announce.now)
            announce.plan.sources[i].members = members
        }
        return result
    }

    /// Turns an announce's script reply and sample into its outcome; true when the swarm needs a touch.
    private func complete(_ announce: inout PendingAnnounce, scriptReply result: RedisReply) -> Bool {
        if let refusal = result.array, refusal.count == 1, let code = refusal[0].integer {
            announce.outcome = .failure(code == -1 ? .tooManyTorrents : .tooManyPeersFromClient)
            return false
        }
        guard let items = result.array, items.count == 6,
              let seeders = items[0].integer, let leechers = items[1].integer, let completed = items[2].integer,
              let touch = items[3].integer, let ownSeeders = items[4].integer, let ownLeechers = items[5].integer
        else {
            announce.outcome = .failure(result.isOutOfMemory ? .full : .failed("unexpected announce reply: \(result.errorMessage ?? "\(result)")"))
            return false
        }
        let size = announce.request.endpoint.compactSize
        var collector = RedisSampleCollector(plan: announce.plan, memberSize: size, seen: &seen)
        sampler.draw(announce.plan, memberSize: size, into: &collector, seen: &seen)
        sampler.remember(announce.request, seeders: Int(ownSeeders), leechers: Int(ownLeechers))
        let counts = SwarmCounts(seeders: Int(max(0, seeders)), leechers: Int(max(0, leechers)), completed: Int(max(0, completed)))
        announce.outcome = .success(AnnounceResult(counts: counts, compactPeers: collector.compact))
        return touch == 1
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

    /// Fills `peerIDs` of the announces that asked for them: one HMGET of each of the sampled
    /// family's two hashes (a peer is in one of them).
    private func addPeerIDs(_ announces: inout [PendingAnnounce], session: RedisSession) throws {
        let wanting = announces.indices.filter { i in
            guard announces[i].request.wantsPeerIDs, case .success(let result) = announces[i].outcome else { return false }
            return !result.compactPeers.isEmpty
        }
        guard !wanting.isEmpty else { return }
        let commands: [[[UInt8]]] = wanting.flatMap { i in
            guard case .success(let result) = announces[i].outcome else { return [[[UInt8]]]() }
            let request = announces[i].request
            let size = request.endpoint.compactSize
            let members = stride(from: 0, to: result.compactPeers.count, by: size).map { Array(result.compactPeers[$0..<$0 + size]) }
            let base = session.keys.swarmBase(request.infoHash), family = RedisKeys.FamilySets.of(request.endpoint.family)
            return [family.seeders, family.leechers].map { [Array("HMGET".utf8), base + Array($0.description.utf8)] + members }
        }
        let replies = try session.pipeline(commands)
        for (n, i) in wanting.enumerated() {
            guard case .success(var result) = announces[i].outcome else { continue }
            let seeders = replies[2 * n].array ?? [], leechers = replies[2 * n + 1].array ?? []
            result.peerIDs = zip(seeders, leechers).map { seeder, leecher in
                (seeder.bytes ?? leecher.bytes).flatMap { $0.count >= 20 ? PeerID(bytes: $0[0..<20]) : nil }
                    ?? PeerID(bytes: [UInt8](repeating: 0, count: 20))!
            }
            announces[i].outcome = .success(result)
        }
    }

    /// Writes an announce's sample commands (after its script call); returns how to read them.
    private func writeSample(_ request: AnnounceRequest, now: TrackerTime, swarm base: [UInt8], announcer: [UInt8]) -> RedisPeerSampler.Plan {
        let family = RedisKeys.FamilySets.of(request.endpoint.family)
        return sampler.plan(for: request, now: now, announcer: announcer, swarm: base,
                            seeders: family.seeders, leechers: family.leechers, into: &writer)
    }

    /// Writes an announce's script call; `counted` is what it adds to the swarm's announce count,
    /// `base` the swarm's keys' common part, `announcer` the compact endpoint.
    private func writeAnnounceScript(_ request: AnnounceRequest, now: TrackerTime, counted: Int, swarm base: [UInt8], announcer: [UInt8],
                                     session: RedisSession) {
        let nowSeconds = UInt32(clamping: now.seconds)
        writer.command(6)
        writer.bulk("EVALSHA")
        writer.bulk(session.announceSHA)
        writer.bulk("1")
        writer.bulk(base, RedisKeys.lifecycleSuffix)
        writer.bulk(announcer)
        RedisPeerBlob.writeAnnounceArgument(request, nowSeconds: nowSeconds, cutoffSeconds: UInt32(clamping: now.seconds - settings.peerTimeout),
                                            pageSize: settings.prunePage, counted: UInt32(clamping: counted), limits: settings.limits,
                                            into: &writer)
    }

    /// Writes the hand-over of announces counted and held for a swarm with no announce since.
    private func writeCount(_ count: Int, of infoHash: InfoHash, session: RedisSession) {
        writer.command(5)
        writer.bulk("EVALSHA")
        writer.bulk(session.countSHA)
        writer.bulk("1")
        writer.bulk(session.keys.swarmBase(infoHash), RedisKeys.lifecycleSuffix)
        writer.bulk(count)
    }

    /// A scrape is plain commands (see `RedisCountsReader`), no script.
    private func encodeScrape(_ hash: InfoHash, session: RedisSession) {
        RedisCountsReader.writeScrape(swarm: session.keys.swarmBase(hash), into: &writer)
    }
}

@available(*, unavailable)
extension RedisStoreWorker: Sendable {}
