/// An announce in a batch: its script call and peer sample written together, read together,
/// then turned into the announcer's answer.
extension RedisBatcher {
    /// The announce script's call: the lifecycle key, the endpoint and the packed argument
    /// (`RedisPeerBlob.writeAnnounceArgument`); `counted` is what it adds to the swarm's count,
    /// `swarm` the swarm's keys' common part, `announcer` the compact endpoint.
    /// `rack`: the announcer's rack's name, when it is in one.
    func writeAnnounce(_ request: AnnounceRequest, now: TrackerTime, counted: Int, swarm: [UInt8], announcer: [UInt8], rack: String?,
                       session: RedisSession, into writer: inout RESPWriter) {
        session.writeCall(.announce, swarm: swarm, argumentCount: rack == nil ? 2 : 3, into: &writer)
        writer.bulk(announcer)
        RedisPeerBlob.writeAnnounceArgument(request, nowSeconds: UInt32(clamping: now.seconds),
                                            cutoffSeconds: UInt32(clamping: now.seconds - settings.peerTimeout),
                                            pageSize: settings.prunePage, counted: UInt32(clamping: counted), limits: settings.limits,
                                            into: &writer)
        if let rack { writer.bulk(Array(rack.utf8)) }
    }

    /// A steady announce (`RedisSteadyPeers`): `HSET <role hash> <endpoint> <blob>`; returns what
    /// the blob stores.
    func writeSteady(_ request: AnnounceRequest, now: TrackerTime, stored: RedisSteadyPeers.Stored, swarm: [UInt8], announcer: [UInt8]) -> RedisSteadyPeers.Stored {
        let nowSeconds = UInt32(clamping: now.seconds)
        let next = RedisSteadyPeers.next(request, stored: stored, nowSeconds: nowSeconds)
        Self.writeOnPeer("HSET", request, swarm: swarm, announcer: announcer, more: 1, into: &writer)
        writer.bulk(length: RedisPeerBlob.size) { out in
            RedisPeerBlob.appendBlob(request, nowSeconds: nowSeconds, kept: (next.key, next.firstSeen, next.flags), to: &out)
        }
        return next
    }

    /// `<command> <the hash of the announcer's family and role> <endpoint>`, then `more`
    /// arguments the caller writes.
    private static func writeOnPeer(_ command: StaticString, _ request: AnnounceRequest, swarm: [UInt8], announcer: [UInt8], more: Int,
                                    into writer: inout RESPWriter) {
        let family = RedisKeys.FamilySets.of(request.endpoint.family)
        writer.command(3 + more)
        writer.bulk(command)
        writer.bulk(swarm, request.isSeeder ? family.seeders : family.leechers)
        writer.bulk(announcer)
    }

    /// Steady announces whose HSET added the peer (it was gone: expired and pruned, kicked,
    /// purged, or moved to the other role by another node): the field is deleted again and the
    /// announce runs the script, as it would have, in one more round trip.
    func runGoneSteady(_ batch: inout RedisBatch, session: RedisSession) throws {
        let gone = batch.announces.indices.filter { batch.announces[$0].steady != nil && batch.announces[$0].scriptReply.integer == 1 }
        guard !gone.isEmpty else { return }
        var commands = RESPWriter(capacity: 0)
        for i in gone {
            let request = batch.announces[i].request, now = batch.announces[i].now
            let swarm = session.keys.swarmBase(request.infoHash), announcer = request.endpoint.compact
            Self.writeOnPeer("HDEL", request, swarm: swarm, announcer: announcer, more: 0, into: &commands)
            writeAnnounce(request, now: now, counted: 0, swarm: swarm, announcer: announcer, rack: nil, session: session, into: &commands)
            steadyPeers.forget(batch.announces[i].fingerprint)
        }
        let replies = try session.pipeline(commands)
        for (n, i) in gone.enumerated() {
            batch.announces[i].steady = nil
            batch.announces[i].scriptReply = replies[2 * n + 1]
        }
    }

    /// The peer sample's commands, right after the script call; returns how to read them.
    func writeSample(_ request: AnnounceRequest, now: TrackerTime, swarm: [UInt8], announcer: [UInt8], rack: String?) -> RedisPeerSampler.Plan {
        let family = RedisKeys.FamilySets.of(request.endpoint.family)
        return sampler.plan(for: request, now: now, announcer: announcer, swarm: swarm, family: family, rack: rack, into: &writer)
    }

    /// Reads an announce's script reply and its sample's members.
    func readAnnounce(_ announce: inout RedisBatch.Announce, session: RedisSession) throws {
        announce.scriptReply = try session.connection.readReply()
        let size = announce.request.endpoint.compactSize
        for i in announce.plan.sources.indices where announce.plan.sources[i].isRead {
            var members: [UInt8] = []
            _ = try session.connection.readMembers(size: size) { members.append(contentsOf: $0) }
            if !announce.plan.sources[i].isRack { sampler.keep(members, memberSize: size, for: announce.plan.sources[i].key, now: announce.now) }
            announce.plan.sources[i].members = members
        }
    }

    /// Answers the batch's announces: outcomes from the script replies and samples, peer ids for
    /// those that want them (one more round trip), then the torrents set's activity for swarms
    /// the scripts asked to touch.
    func answerAnnounces(_ batch: inout RedisBatch, session: RedisSession) throws {
        var touched = RESPWriter(capacity: 0)
        let seconds = monotonicSeconds()
        for i in batch.announces.indices where complete(&batch.announces[i], seconds: seconds) {
            let announce = batch.announces[i]
            touched.command(["ZADD", session.keys.torrents, String(announce.now.milliseconds), announce.request.infoHash.hex])
        }
        try addPeerIDs(&batch.announces, session: session)
        for i in batch.announces.indices { batch.announces[i].reply.answer(batch.announces[i].outcome) }
        if touched.commands > 0 { _ = try session.pipeline(touched) }
    }

    /// Turns an announce's script reply (or steady HSET reply) and sample into its outcome; true
    /// when the swarm needs a touch. `seconds`: the batch's monotonic time, read once.
    private func complete(_ announce: inout RedisBatch.Announce, seconds: Double) -> Bool {
        let result = announce.scriptReply
        let request = announce.request, size = request.endpoint.compactSize
        if let written = announce.steady {
            guard result.integer == 0, let counts = steadyPeers.counts(of: request.infoHash) else {
                announce.outcome = .failure(result.isOutOfMemory ? .full : .failed("unexpected HSET reply: \(result.errorMessage ?? "\(result)")"))
                return false
            }
            steadyPeers.wrote(announce.fingerprint, written)
            announce.outcome = .success(AnnounceResult(counts: counts, compactPeers: drawSample(announce.plan, memberSize: size)))
            return false
        }
        if let refusal = result.array, refusal.count == 1, let code = refusal[0].integer {
            announce.outcome = .failure(code == -1 ? .tooManyTorrents : .tooManyPeersFromClient)
            return false
        }
        guard let items = result.array, items.count == 8, let pruning = items[7].integer,
              let seeders = items[0].integer, let leechers = items[1].integer, let completed = items[2].integer,
              let touch = items[3].integer, let ownSeeders = items[4].integer, let ownLeechers = items[5].integer
        else {
            announce.outcome = .failure(result.isOutOfMemory ? .full : .failed("unexpected announce reply: \(result.errorMessage ?? "\(result)")"))
            return false
        }
        let compact = drawSample(announce.plan, memberSize: size)
        sampler.remember(request, seeders: Int(ownSeeders), leechers: Int(ownLeechers))
        let counts = SwarmCounts(seeders: Int(max(0, seeders)), leechers: Int(max(0, leechers)), completed: Int(max(0, completed)))
        steadyPeers.learned(request, fingerprint: announce.fingerprint, stored: items[6].bytes, counts: counts, pruning: pruning == 1,
                            nowSeconds: UInt32(clamping: announce.now.seconds), seconds: seconds)
        announce.outcome = .success(AnnounceResult(counts: counts, compactPeers: compact))
        return touch == 1
    }

    private func drawSample(_ plan: RedisPeerSampler.Plan, memberSize: Int) -> [UInt8] {
        var collector = RedisSampleCollector(plan: plan, memberSize: memberSize, seen: &seen)
        sampler.draw(plan, memberSize: memberSize, into: &collector, seen: &seen)
        return collector.compact
    }

    /// Fills `peerIDs` of the announces that asked for them: one HMGET of each of the sampled
    /// family's two hashes (a peer is in one of them).
    private func addPeerIDs(_ announces: inout [RedisBatch.Announce], session: RedisSession) throws {
        var commands = RESPWriter(capacity: 0)
        var wanting: [Int] = []
        for (i, announce) in announces.enumerated() {
            guard announce.request.wantsPeerIDs, case .success(let result) = announce.outcome, !result.compactPeers.isEmpty else { continue }
            wanting.append(i)
            let size = announce.request.endpoint.compactSize
            let members = stride(from: 0, to: result.compactPeers.count, by: size).map { Array(result.compactPeers[$0..<$0 + size]) }
            let base = session.keys.swarmBase(announce.request.infoHash), family = RedisKeys.FamilySets.of(announce.request.endpoint.family)
            for set in [family.seeders, family.leechers] {
                commands.command([Array("HMGET".utf8), base + Array(set.description.utf8)] + members)
            }
        }
        guard !wanting.isEmpty else { return }
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
}
