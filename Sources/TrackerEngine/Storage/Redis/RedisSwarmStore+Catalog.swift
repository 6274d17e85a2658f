/// Engines with `--torrents` or `--whitelist` share them in Redis: `<prefix>:catalog` (HASH hex
/// info-hash → bencoded entry, one field per hash of a torrent), `<prefix>:whitelist` (SET of hex
/// info-hashes) and `<prefix>:catalog:version` (a counter raised by every change of either),
/// which readers check before reading them again.
extension RedisSwarmStore: CatalogRegistry {
    /// Fields written or removed per round trip.
    static let catalogBatch = 1000

    public func publishCatalog(_ catalog: SharedCatalog, previous: SharedCatalog) async throws {
        let changed = catalog.entries.filter { previous.entries[$0.key] != $0.value }
        let removed = previous.entries.keys.filter { catalog.entries[$0] == nil }
        let listed = catalog.whitelist.subtracting(previous.whitelist), unlisted = previous.whitelist.subtracting(catalog.whitelist)
        guard !changed.isEmpty || !removed.isEmpty || !listed.isEmpty || !unlisted.isEmpty else { return }
        try await withSession { session in
            let keys = session.keys
            var changed = changed
            try Self.keepEarlierRegistrations(of: &changed, session)
            var commands: [[[UInt8]]] = []
            for (hash, entry) in changed { commands.append([Array("HSET".utf8), Array(keys.catalog.utf8), Array(hash.hex.utf8), entry.encoded()]) }
            for hash in removed { commands.append([Array("HDEL".utf8), Array(keys.catalog.utf8), Array(hash.hex.utf8)]) }
            for hash in listed { commands.append([Array("SADD".utf8), Array(keys.whitelist.utf8), Array(hash.hex.utf8)]) }
            for hash in unlisted { commands.append([Array("SREM".utf8), Array(keys.whitelist.utf8), Array(hash.hex.utf8)]) }
            for start in stride(from: 0, to: commands.count, by: Self.catalogBatch) {
                for reply in try session.pipeline(Array(commands[start..<min(start + Self.catalogBatch, commands.count)])) {
                    if case .error(let message) = reply { throw StoreError.failed(message) }
                }
            }
            _ = try session.connection.command(["INCR", keys.catalogVersion])
        }
    }

    /// A torrent another engine (or this one before a restart) registered first keeps that time.
    private static func keepEarlierRegistrations(of entries: inout [InfoHash: CatalogEntry], _ session: RedisSession) throws {
        let hashes = Array(entries.keys)
        for start in stride(from: 0, to: hashes.count, by: catalogBatch) {
            let chunk = hashes[start..<min(start + catalogBatch, hashes.count)]
            let reply = try session.connection.command(["HMGET", session.keys.catalog] + chunk.map(\.hex))
            for (hash, value) in zip(chunk, reply.array ?? []) {
                guard let earlier = value.bytes.flatMap(CatalogEntry.init(encoded:))?.registered,
                      earlier < entries[hash]?.registered ?? .distantFuture else { continue }
                entries[hash]?.registered = earlier
            }
        }
    }

    public func sharedCatalog(unless known: Int64?) async throws -> (version: Int64, catalog: SharedCatalog?) {
        try await withSession { session in
            let keys = session.keys
            let version = try session.connection.command(["GET", keys.catalogVersion]).integer ?? 0
            guard version != known else { return (version, nil) }
            var shared = SharedCatalog()
            var cursor = "0"
            repeat {  // bounded: HSCAN ends when the cursor comes back to 0
                let reply = try session.connection.command(["HSCAN", keys.catalog, cursor, "COUNT", String(Self.catalogBatch)])
                guard let parts = reply.array, parts.count == 2, let next = parts[0].bytes, let items = parts[1].array else {
                    throw StoreError.failed("HSCAN \(keys.catalog): unexpected reply")
                }
                cursor = String(decoding: next, as: UTF8.self)
                for i in stride(from: 0, to: items.count - 1, by: 2) {
                    guard let field = items[i].bytes, let hash = InfoHash(hex: String(decoding: field, as: UTF8.self)),
                          let value = items[i + 1].bytes, let entry = CatalogEntry(encoded: value),
                          entry.metainfo.infoHashes.contains(hash) else { continue }
                    shared.entries[hash] = entry
                }
            } while cursor != "0"
            // SMEMBERS: a whitelist is hashes only (40 bytes each); members that are not one are skipped.
            let members = try session.connection.command(["SMEMBERS", keys.whitelist]).array ?? []
            shared.whitelist = Set(members.compactMap { $0.bytes.flatMap { InfoHash(hex: String(decoding: $0, as: UTF8.self)) } })
            return (version, shared)
        }
    }
}
