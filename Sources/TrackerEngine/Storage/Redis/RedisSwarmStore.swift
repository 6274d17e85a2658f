import Dispatch
import Foundation

/// Swarms in Redis, shared by every tracker node that uses the same server and prefix.
/// One announce is one round trip (a Lua script, see `RedisScripts`, with its peer sample),
/// pipelined with the other announces of its batch. Frontends batch through lanes of their own
/// (`makeLane()`, `RedisStoreLane`: each HTTP worker writes its round's batch on its own
/// connection); other callers (tools, the dashboard, sweeps, moderation) go through a bounded
/// queue to the store threads. When a queue is full or Redis cannot be reached, calls fail at
/// once with `unavailable` ("tracker storage unavailable, retry later").
public final class RedisSwarmStore: SwarmStore {
    public let endpoint: RedisEndpoint
    public let peerTimeout: Int64
    public let torrentRetention: Int64
    let keys: RedisKeys
    private let queue: RedisJobQueue
    private let connection: RedisConnectionKeeper.Settings
    private let batch: RedisBatcher.Settings
    private let threads = ThreadGroup()

    /// - Parameters:
    ///   - prefix: every key starts with it (`--redis-prefix`).
    ///   - threads: store threads, each with its own connection.
    ///   - timeout: seconds for connecting and for each reply; a slower Redis counts as unavailable.
    ///   - roundTrips: told each batch's round trip.
    ///   - monotonicSeconds: the clock batches keep time by (held announce counts, backoff).
    public init(endpoint: RedisEndpoint, prefix: String = "tt", peerTimeout: Int64 = 3660, torrentRetention: Int64 = 30 * 86_400,
                threads: Int = 1, queueCapacity: Int = 16_384, timeout: Double = 0.5, limits: SwarmLimits = SwarmLimits(),
                racks: Racks = Racks(), roundTrips: RoundTripObserver? = nil, monotonicSeconds: @escaping @Sendable () -> Double = MonotonicClock.seconds) {
        self.endpoint = endpoint
        self.peerTimeout = peerTimeout
        self.torrentRetention = torrentRetention
        self.keys = RedisKeys(prefix: prefix)
        self.queue = RedisJobQueue(capacity: queueCapacity)
        let connection = RedisConnectionKeeper.Settings(endpoint: endpoint, keys: keys, timeout: timeout, monotonicSeconds: monotonicSeconds)
        let batch = RedisBatcher.Settings(peerTimeout: peerTimeout, limits: limits, racks: racks, roundTrips: roundTrips)
        self.connection = connection
        self.batch = batch
        for _ in 0..<max(1, threads) {
            let queue = self.queue
            self.threads.start("trackertui-redis") { _ in
                RedisStoreThread(queue: queue, connection: connection, batch: batch).run()
            }
        }
    }

    /// Fails what is queued, stops the threads and waits for them (at most `timeout` seconds).
    public func shutdown(timeout: Double = 5) {
        threads.stop(timeout: timeout) { queue.stop() }
    }

    deinit { queue.stop() }

    // MARK: hot path

    public func announce(_ request: AnnounceRequest, now: TrackerTime, reply: @escaping @Sendable (Result<AnnounceResult, StoreError>) -> Void) {
        queue.push(.announce(request, now, reply))
    }

    public func scrape(_ infoHashes: [InfoHash], now: TrackerTime, reply: @escaping @Sendable (Result<[ScrapeEntry], StoreError>) -> Void) {
        guard !infoHashes.isEmpty else { return reply(.success([])) }
        queue.push(.scrape(infoHashes, now, reply))
    }

    /// A frontend thread's own connection, batching that thread's calls (see `RedisStoreLane`).
    public func makeLane() -> any SwarmStoreLane {
        RedisStoreLane(connection: connection, batch: batch, capacity: queue.capacity)
    }

    // MARK: everything else, as session jobs

    /// Runs `body` on a store thread with a live session.
    func withSession<T: Sendable>(_ body: @escaping @Sendable (RedisSession) throws -> T) async throws(StoreError) -> T {
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            queue.push(.session { session in
                guard let session else { return continuation.resume(returning: .failure(.unavailable)) }
                do {
                    continuation.resume(returning: .success(try body(session)))
                } catch let error as StoreError {
                    continuation.resume(returning: .failure(error))
                } catch {
                    continuation.resume(returning: .failure(session.connection.isBroken ? .unavailable : .failed("\(error)")))
                }
            })
        }
        return try result.get()
    }

    public func fullScrape(now: TrackerTime) async throws(StoreError) -> [ScrapeEntry] {
        try await withSession { session in
            let hexes = try Self.allTorrents(session)
            var entries: [ScrapeEntry] = []
            for chunk in hexes.chunked(512) {
                var writer = RESPWriter()
                let hashes = chunk.compactMap { InfoHash(hex: $0) }
                for hash in hashes { RedisCountsReader.writeScrape(swarm: session.keys.swarmBase(hash), into: &writer) }
                let replies = try session.pipeline(writer)
                for (i, hash) in hashes.enumerated() {
                    let per = RedisCountsReader.repliesPerSwarm
                    if case .success(let counts?) = RedisCountsReader.counts(fromScrape: replies[per * i..<per * (i + 1)]) {
                        entries.append(ScrapeEntry(infoHash: hash, counts: counts))
                    }
                }
            }
            return entries
        }
    }

    /// Sweeps every swarm listed in the torrents set, a cursor page at a time (never all keys at once).
    public func expire(now: TrackerTime) async throws(StoreError) -> Int {
        let forgetBefore = now.seconds - torrentRetention
        let cutoff = now.seconds - peerTimeout
        return try await withSession { session in
            var dropped = 0
            try session.connection.scanTorrents(session.keys) { hexes in
                // Members that are no info-hash (written by hand) are no swarm of ours: dropped.
                var forgotten = hexes.filter { InfoHash(hex: $0) == nil }.map { Array($0.utf8) }
                // A call prunes up to 4 pages of 1,000 peers of each hash; a swarm with more is
                // called again, so no single call blocks Redis for long.
                var pending = hexes.compactMap { hex in InfoHash(hex: hex).map { (hex: hex, hash: $0) } }
                for _ in 0..<Self.sweepCallsPerSwarm where !pending.isEmpty {
                    var calls = RESPWriter()
                    for swarm in pending {
                        session.writeCall(.sweep, swarm: session.keys.swarmBase(swarm.hash), argumentCount: 4, into: &calls)
                        calls.bulk(cutoff)
                        calls.bulk(1000)
                        calls.bulk(forgetBefore)
                        calls.bulk(4)
                    }
                    let replies = try session.pipeline(calls)
                    var more: [(hex: String, hash: InfoHash)] = []
                    for (swarm, reply) in zip(pending, replies) {
                        guard let items = reply.array, items.count == 3 else { continue }
                        dropped += Int(items[0].integer ?? 0)
                        if items[1].integer == 1 { forgotten.append(Array(swarm.hex.utf8)) }
                        if items[2].integer == 1 { more.append(swarm) }
                    }
                    pending = more
                }
                if !forgotten.isEmpty {
                    _ = try session.connection.command([Array("ZREM".utf8), Array(session.keys.torrents.utf8)] + forgotten)
                }
            }
            return dropped
        }
    }

    /// Sweep calls per swarm and sweep: 4,000 pages of 1,000 peers of each hash, far beyond any swarm.
    static let sweepCallsPerSwarm = 1000

    /// Plain commands, no script: one HMGET of the lifecycle and four HLENs per torrent (see
    /// `RedisCountsReader`), 256 torrents a round trip.
    public func torrents(activeSince: TrackerTime?, limit: Int?, now: TrackerTime) async throws(StoreError) -> [TorrentInfo] {
        try await withSession { session in
            let hexes = try Self.allTorrents(session, activeSince: activeSince, limit: limit)
            var out: [TorrentInfo] = []
            out.reserveCapacity(hexes.count)
            for chunk in hexes.chunked(256) {
                var writer = RESPWriter()
                let hashes = chunk.compactMap { InfoHash(hex: $0) }
                for hash in hashes { RedisCountsReader.writeListing(swarm: session.keys.swarmBase(hash), into: &writer) }
                let replies = try session.pipeline(writer)
                let per = RedisCountsReader.repliesPerSwarm
                for (i, hash) in hashes.enumerated() {
                    if let info = RedisCountsReader.torrentInfo(hash, listing: replies[per * i..<per * (i + 1)]) { out.append(info) }
                }
            }
            return out
        }
    }

    public func peers(of infoHash: InfoHash, now: TrackerTime) async throws(StoreError) -> [PeerDetail] {
        let liveAfter = now.seconds - peerTimeout
        return try await withSession { session in
            let sets = try session.pipeline(session.keys.swarm(infoHash).peerSets.map { [Array("HGETALL".utf8), Array($0.utf8)] })
            var peers: [PeerDetail] = []
            for (i, reply) in sets.enumerated() {
                let items = reply.array ?? []
                for j in stride(from: 0, to: items.count - 1, by: 2) {
                    guard let member = items[j].bytes, let blob = items[j + 1].bytes, let endpoint = PeerEndpoint(compact: member),
                          let peer = RedisPeerBlob.decode(blob, endpoint: endpoint, isSeeder: i % 2 == 0),
                          peer.lastSeen.seconds > liveAfter else { continue }
                    peers.append(peer)
                }
            }
            return peers
        }
    }

    public func remove(peer: PeerEndpoint, from infoHash: InfoHash) async throws(StoreError) -> Bool {
        try await withSession { session in
            var kick = RESPWriter()
            session.writeCall(.kick, swarm: session.keys.swarmBase(infoHash), argumentCount: 1, into: &kick)
            kick.bulk(peer.compact)
            return (try session.pipeline(kick)[0].integer ?? 0) > 0
        }
    }

    public func purge(_ infoHash: InfoHash) async throws(StoreError) -> Bool {
        try await withSession { session in
            let swarm = session.keys.swarm(infoHash)
            // The racks its peers were in name the rack sets to delete with the rest.
            let racks = try session.connection.command(["HGET", swarm.lifecycle, "racks"]).bytes.map { String(decoding: $0, as: UTF8.self) } ?? ""
            let base = session.keys.swarmBase(infoHash)
            let rackSets = racks.split(separator: " ").flatMap { rack in
                RedisKeys.FamilySets.both.flatMap { [base + RedisKeys.rackSet(String(rack), role: $0.seeders), base + RedisKeys.rackSet(String(rack), role: $0.leechers)] }
            }
            let replies = try session.pipeline([[Array("DEL".utf8)] + swarm.all.map { Array($0.utf8) } + rackSets,
                                                [Array("ZREM".utf8), Array(session.keys.torrents.utf8), Array(infoHash.hex.utf8)]])
            return (replies[0].integer ?? 0) > 0
        }
    }

    // MARK: helpers

    /// A round trip through the queue (the latency an announce would see, queueing included)
    /// that also reads the server's memory against its `maxmemory`.
    public func health() async -> StoreHealth {
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let info = try await withSession { session in try session.connection.command(["INFO", "memory"]) }
            let micros = Int((DispatchTime.now().uptimeNanoseconds - start) / 1000)
            let full = RedisMemoryInfo(info.bytes ?? []).isFull
            return StoreHealth(state: full ? .full : .connected, latencyMicros: micros, description: "redis \(endpoint)")
        } catch {
            return StoreHealth(state: .unreachable, latencyMicros: nil, description: "redis \(endpoint)")
        }
    }

    /// Hex info-hashes of the torrents set: all, or those active since a time, most recent first.
    private static func allTorrents(_ session: RedisSession, activeSince: TrackerTime? = nil, limit: Int? = nil) throws -> [String] {
        var command = ["ZRANGE", session.keys.torrents, "0", "-1"]
        if let activeSince {
            command = ["ZREVRANGEBYSCORE", session.keys.torrents, "+inf", String(activeSince.milliseconds)]
            if let limit { command += ["LIMIT", "0", String(limit)] }
        } else if let limit {
            command = ["ZREVRANGE", session.keys.torrents, "0", String(limit - 1)]
        }
        let reply = try session.connection.command(command)
        return (reply.array ?? []).compactMap { $0.bytes.map { String(decoding: $0, as: UTF8.self) } }
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
