import Glibc

/// One store thread: owns one connection, takes whatever jobs are queued, writes all their
/// commands in one go, then reads the replies in order (pipelining). While Redis is unreachable
/// it fails jobs at once and retries the connection with backoff (50 ms doubling to 2 s).
final class RedisStoreWorker {
    struct Settings {
        var endpoint: RedisEndpoint
        var keys: RedisKeys
        var timeout: Double
        var peerTimeoutMillis: Int64
        var pruneLimit = 64
        var batch = 256
    }

    private let settings: Settings
    private let queue: RedisJobQueue
    private var session: RedisSession?
    private var backoff = 0.05
    private var nextAttempt = 0.0

    init(settings: Settings, queue: RedisJobQueue) {
        self.settings = settings
        self.queue = queue
    }

    func run() {
        while let batch = queue.take(max: settings.batch) {
            guard let session = liveSession() else {
                batch.forEach { $0.fail() }
                continue
            }
            serve(batch, with: session)
        }
    }

    private func liveSession() -> RedisSession? {
        if let session, !session.connection.isBroken { return session }
        session = nil
        let now = Self.seconds()
        guard now >= nextAttempt else { return nil }
        do {
            session = try RedisSession(connection: RedisConnection(settings.endpoint, timeout: settings.timeout), keys: settings.keys)
            backoff = 0.05
            return session
        } catch {
            nextAttempt = now + backoff
            backoff = min(backoff * 2, 2)
            return nil
        }
    }

    private func serve(_ batch: [RedisJob], with session: RedisSession) {
        // 1. Every announce and scrape of the batch in one write.
        var answered = 0
        var touched: [(hex: String, millis: Int64)] = []
        do {
            for job in batch {
                switch job {
                case let .announce(request, now, _):
                    try session.connection.append(announceCommand(request, now: now, session: session))
                case let .scrape(hashes, now, _):
                    for hash in hashes { try session.connection.append(scrapeCommand(hash, now: now, session: session)) }
                case .session:
                    break
                }
            }
            for job in batch {
                switch job {
                case let .announce(request, now, reply):
                    var result = try session.connection.readReply()
                    if result.errorMessage?.hasPrefix("NOSCRIPT") == true {
                        try session.loadScripts()
                        result = try session.connection.command(announceCommand(request, now: now, session: session))
                    }
                    let (outcome, touch) = Self.decodeAnnounce(result)
                    if touch { touched.append((request.infoHash.hex, now.milliseconds)) }
                    reply(outcome)
                case let .scrape(hashes, now, reply):
                    var entries: [ScrapeEntry] = []
                    var failure: StoreError?
                    for hash in hashes {
                        var result = try session.connection.readReply()
                        if result.errorMessage?.hasPrefix("NOSCRIPT") == true {
                            try session.loadScripts()
                            result = try session.connection.command(scrapeCommand(hash, now: now, session: session))
                        }
                        switch Self.decodeScrape(result) {
                        case .success(let counts?): entries.append(ScrapeEntry(infoHash: hash, counts: counts))
                        case .success(nil): break
                        case .failure(let error): failure = error
                        }
                    }
                    reply(failure.map { .failure($0) } ?? .success(entries))
                case .session:
                    break
                }
                answered += 1
            }
            // 2. Swarms whose last activity in the torrents set is over 10 s old.
            if !touched.isEmpty {
                for swarm in touched {
                    try session.connection.append([Array("ZADD".utf8), Array(session.keys.torrents.utf8),
                                                   Array(String(swarm.millis).utf8), Array(swarm.hex.utf8)])
                }
                for _ in touched { _ = try session.connection.readReply() }
            }
        } catch {
            // The connection broke: whatever was not answered is answered now, as unavailable.
            for job in batch.dropFirst(answered) {
                if case .session = job { continue }
                job.fail()
            }
        }
        // 3. Other work, one job at a time.
        for job in batch {
            guard case .session(let body) = job else { continue }
            body(session.connection.isBroken ? liveSession() : session)
        }
    }

    private func announceCommand(_ request: AnnounceRequest, now: TrackerTime, session: RedisSession) -> [[UInt8]] {
        let swarm = session.keys.swarm(request.infoHash)
        let keys: [String]
        switch request.endpoint {
        case .v4: keys = [swarm.seeders4, swarm.leechers4, swarm.seeders6, swarm.leechers6, swarm.detail, swarm.lifecycle]
        case .v6: keys = [swarm.seeders6, swarm.leechers6, swarm.seeders4, swarm.leechers4, swarm.detail, swarm.lifecycle]
        }
        let nowSeconds = UInt32(clamping: now.seconds)
        let arguments: [[UInt8]] = [
            request.endpoint.compact,
            Array(String(now.milliseconds).utf8),
            Array(String(now.milliseconds + settings.peerTimeoutMillis).utf8),
            request.isSeeder ? [UInt8(ascii: "1")] : [UInt8(ascii: "0")],
            Array(String(request.event.rawValue).utf8),
            Array(String(request.numwant).utf8),
            RedisPeerBlob.encode(request, nowSeconds: nowSeconds),
            request.wantsPeerIDs ? [UInt8(ascii: "1")] : [UInt8(ascii: "0")],
            Array(String(settings.pruneLimit).utf8),
            Array(String(nowSeconds).utf8),
        ]
        return RedisSession.evalshaCommand(session.announceSHA, keys: keys, arguments: arguments)
    }

    private func scrapeCommand(_ hash: InfoHash, now: TrackerTime, session: RedisSession) -> [[UInt8]] {
        let swarm = session.keys.swarm(hash)
        return RedisSession.evalshaCommand(session.scrapeSHA, keys: [swarm.seeders4, swarm.leechers4, swarm.seeders6, swarm.leechers6, swarm.lifecycle],
                                           arguments: [Array(String(now.milliseconds).utf8)])
    }

    static func decodeAnnounce(_ reply: RedisReply) -> (Result<AnnounceResult, StoreError>, touch: Bool) {
        guard let items = reply.array, items.count == 6,
              let seeders = items[0].integer, let leechers = items[1].integer, let completed = items[2].integer,
              let peers = items[3].bytes, let ids = items[4].bytes
        else {
            return (.failure(.failed("unexpected announce reply: \(reply.errorMessage ?? "\(reply)")")), false)
        }
        let peerIDs = stride(from: 0, to: ids.count - 19, by: 20).compactMap { PeerID(bytes: ids[$0..<$0 + 20]) }
        let counts = SwarmCounts(seeders: Int(seeders), leechers: Int(leechers), completed: Int(completed))
        return (.success(AnnounceResult(counts: counts, compactPeers: peers, peerIDs: peerIDs)), items[5].integer == 1)
    }

    /// Counts, nil for a torrent the store does not know.
    static func decodeScrape(_ reply: RedisReply) -> Result<SwarmCounts?, StoreError> {
        guard let items = reply.array, items.count == 4, let s = items[0].integer, let l = items[1].integer,
              let c = items[2].integer, let known = items[3].integer
        else { return .failure(.failed("unexpected scrape reply: \(reply.errorMessage ?? "\(reply)")")) }
        return .success(known == 1 ? SwarmCounts(seeders: Int(s), leechers: Int(l), completed: Int(c)) : nil)
    }

    static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

@available(*, unavailable)
extension RedisStoreWorker: Sendable {}
