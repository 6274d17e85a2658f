/// The key layout's version, kept in `<prefix>:layout`. Version 2 keeps a swarm's peers in hashes
/// (`S4`, `L4`, `S6`, `L6`: endpoint → blob); version 1, which had no marker, kept them in ZSETs
/// by deadline beside a detail hash. A connection that finds an older layout upgrades it before
/// anything else: it deletes each listed swarm's version-1 peer keys, a page of the torrents set
/// at a time. Lifecycles and completed counts stay; the peers come back with their next announce.
enum RedisLayout {
    static let version = "2"

    static func upgrade(_ connection: RedisConnection, keys: RedisKeys) throws {
        guard try connection.command(["GET", keys.layout]).bytes != Array(version.utf8) else { return }
        try connection.scanTorrents(keys) { hexes in
            let legacy = hexes.flatMap { hex in RedisKeys.legacySuffixes.map { Array("\(keys.prefix):{\(hex)}:\($0)".utf8) } }
            if !legacy.isEmpty { _ = try connection.command([Array("DEL".utf8)] + legacy) }
        }
        _ = try connection.command(["SET", keys.layout, version])
    }
}
