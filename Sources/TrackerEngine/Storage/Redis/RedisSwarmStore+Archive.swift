/// Deregistered torrents with Redis: `deregister.lua` renames a swarm's lifecycle hash to
/// `<prefix>:archive:<UTC date>:<hex>` (the name, registration, deregistration and last counts
/// added to it) and indexes it in `<prefix>:archive` (ZSET archive key → deregistered ms).
/// The archive keys live outside their swarm's hash tag: with Redis Cluster they would need
/// their own slot's node.
extension RedisSwarmStore {
    private static let archiveFields = ["deregistered", "name", "registered", "announces", "first_seen", "last_activity",
                                        "first_started", "last_started", "first_completed", "last_completed",
                                        "completed", "seeders", "leechers"]

    public func deregister(_ torrent: ArchivedTorrent) async throws(StoreError) -> ArchivedTorrent {
        try await withSession { session in
            let archiveKey = session.keys.archive(torrent.infoHash, at: torrent.deregistered)
            var call = RESPWriter()
            session.writeCall(.deregister, swarm: session.keys.swarmBase(torrent.infoHash), argumentCount: 4, into: &call)
            for argument in [archiveKey, String(torrent.deregistered.milliseconds), torrent.name ?? "",
                             torrent.registered.map { String($0.seconds) } ?? ""] {
                call.bulk(Array(argument.utf8))
            }
            call.command(["HMGET", archiveKey] + Self.archiveFields)
            let replies = try session.pipeline(call)
            if let error = replies[0].errorMessage { throw StoreError.failed("deregister: \(error)") }
            guard let record = Self.archived(torrent.infoHash, fields: replies[1]) else {
                throw StoreError.failed("deregister: \(archiveKey) not readable after writing it")
            }
            return record
        }
    }

    public func archive(limit: Int) async throws(StoreError) -> [ArchivedTorrent] {
        guard limit > 0 else { return [] }
        return try await withSession { session in
            let keys = try session.connection.command(["ZREVRANGE", session.keys.archive, "0", String(limit - 1)]).array ?? []
            var out: [ArchivedTorrent] = []
            for chunk in keys.compactMap(\.bytes).chunked(256) {
                let replies = try session.pipeline(chunk.map { [Array("HMGET".utf8), $0] + Self.archiveFields.map { Array($0.utf8) } })
                for (key, fields) in zip(chunk, replies) {
                    // The hash is the key's last 40 characters (`…:<hex>`); a key deleted by hand is left out.
                    guard key.count > 41, let hash = InfoHash(hex: String(decoding: key.suffix(40), as: UTF8.self)),
                          let record = Self.archived(hash, fields: fields) else { continue }
                    out.append(record)
                }
            }
            return out
        }
    }

    /// A record from its archive hash's fields (`archiveFields` order), each checked; nil
    /// without a valid deregistration time.
    private static func archived(_ hash: InfoHash, fields reply: RedisReply) -> ArchivedTorrent? {
        let values = reply.array ?? []
        guard values.count == archiveFields.count else { return nil }
        func number(_ i: Int) -> Int64? {
            values[i].bytes.flatMap { $0.count <= 19 ? Int64(String(decoding: $0, as: UTF8.self)) : nil }.flatMap { $0 >= 0 ? $0 : nil }
        }
        func time(_ i: Int) -> TrackerTime? { number(i).map { TrackerTime(seconds: $0) } }
        guard let deregistered = time(0) else { return nil }
        let name = values[1].bytes.map { TorrentMetainfo.printable(Array($0.prefix(TorrentMetainfo.maxNameBytes))) }
        let lifecycle = time(4).map {
            TorrentInfo(infoHash: hash, counts: SwarmCounts(seeders: Int(clamping: number(11) ?? 0), leechers: Int(clamping: number(12) ?? 0),
                                                            completed: Int(clamping: number(10) ?? 0)),
                        announces: UInt64(number(3) ?? 0), firstSeen: $0, lastActivity: time(5) ?? $0,
                        firstStarted: time(6), lastStarted: time(7), firstCompleted: time(8), lastCompleted: time(9))
        }
        return ArchivedTorrent(infoHash: hash, name: name, registered: time(2), deregistered: deregistered, lifecycle: lifecycle)
    }
}
