/// The key layout's version, kept in `<prefix>:layout`. Version 2 keeps a swarm's peers in hashes
/// (`S4`, `L4`, `S6`, `L6`: endpoint → blob); version 1, which had no marker, kept them in ZSETs
/// by deadline beside a detail hash. A connection that finds an older layout upgrades it before
/// anything else: it deletes each listed swarm's version-1 peer keys, a page of the torrents set
/// at a time. Lifecycles and completed counts stay; the peers come back with their next announce.
enum RedisLayout {
    static let version = "2"

    static func upgrade(_ connection: RedisConnection, keys: RedisKeys) throws {
        guard try connection.command(["GET", keys.layout]).bytes != Array(version.utf8) else { return }
        var cursor = "0"
        repeat {
            let page = try connection.command(["ZSCAN", keys.torrents, cursor, "COUNT", "256"])
            guard let parts = page.array, parts.count == 2, let next = parts[0].bytes, let members = parts[1].array else {
                throw RedisConnection.Failure(description: "unexpected ZSCAN reply while upgrading the key layout")
            }
            cursor = String(decoding: next, as: UTF8.self)
            let legacy = stride(from: 0, to: members.count, by: 2).flatMap { i -> [[UInt8]] in
                guard let hex = members[i].bytes else { return [] }
                let base = "\(keys.prefix):{\(String(decoding: hex, as: UTF8.self))}:"
                return RedisKeys.legacySuffixes.map { Array((base + $0).utf8) }
            }
            if !legacy.isEmpty { _ = try connection.command([Array("DEL".utf8)] + legacy) }
        } while cursor != "0"
        _ = try connection.command(["SET", keys.layout, version])
    }
}
