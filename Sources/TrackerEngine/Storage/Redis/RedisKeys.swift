import Glibc

/// The key layout (see the README's table). Every key of one swarm carries the hash tag
/// `{<hex info-hash>}`, so a swarm lives in one Redis Cluster slot.
struct RedisKeys: Sendable {
    let prefix: String
    private let prefixBytes: [UInt8]

    init(prefix: String) {
        self.prefix = prefix
        self.prefixBytes = Array(prefix.utf8)
    }

    /// `<prefix>:layout`: the key layout's version (`RedisLayout`).
    var layout: String { "\(prefix):layout" }

    /// `<prefix>:torrents`: ZSET hex info-hash → last activity (ms), for listing, full scrape and sweeps.
    var torrents: String { "\(prefix):torrents" }

    /// `<prefix>:blacklist`: SET of hex info-hashes refused by moderators.
    var blacklist: String { "\(prefix):blacklist" }
    /// `<prefix>:bans`: ZSET address text → ban deadline (ms).
    var bans: String { "\(prefix):bans" }
    /// `<prefix>:events`: pub/sub channel announcing every moderation change.
    var events: String { "\(prefix):events" }
    /// `<prefix>:nodes`: ZSET node id → last heartbeat (ms); `<prefix>:node:<id>` HASH its counters.
    var nodes: String { "\(prefix):nodes" }
    /// `<prefix>:catalog`: HASH hex info-hash → bencoded catalog entry (name, size, files, …).
    var catalog: String { "\(prefix):catalog" }
    /// `<prefix>:whitelist`: SET of hex info-hashes the engines' whitelist files hold.
    var whitelist: String { "\(prefix):whitelist" }
    /// `<prefix>:catalog:version`: raised by every change of the catalog hash or the whitelist.
    var catalogVersion: String { "\(prefix):catalog:version" }
    /// `<prefix>:racks`: the engines' racks, in the racks file's format.
    var racks: String { "\(prefix):racks" }
    /// `<prefix>:deregistered`: ZSET hex info-hash → when it was deregistered (ms).
    var deregistered: String { "\(prefix):deregistered" }
    /// `<prefix>:archive`: ZSET archive key → when it was archived (ms), newest last: the archive's index.
    var archive: String { "\(prefix):archive" }
    /// `<prefix>:archive:<UTC date>:<hex>`: a deregistered torrent's lifecycle hash, renamed.
    func archive(_ infoHash: InfoHash, at time: TrackerTime) -> String {
        "\(prefix):archive:\(Self.utcDate(time)):\(infoHash.hex)"
    }

    /// `YYYY-MM-DD` of a time, in UTC.
    static func utcDate(_ time: TrackerTime) -> String {
        var seconds = time_t(time.seconds), parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
    }
    func node(_ id: String) -> String { "\(prefix):node:\(id)" }

    struct Swarm {
        let seeders4, leechers4, seeders6, leechers6, lifecycle: String
        /// Peers per client of each family (`SwarmLimits.maxPeersPerClient`), in big swarms only.
        let clients4, clients6: String
    }

    func swarm(_ infoHash: InfoHash) -> Swarm {
        swarm(hex: infoHash.hex)
    }

    func swarm(hex: String) -> Swarm {
        let base = "\(prefix):{\(hex)}:"
        func key(_ suffix: StaticString) -> String { base + suffix.description }
        return Swarm(seeders4: key(FamilySets.v4.seeders), leechers4: key(FamilySets.v4.leechers),
                     seeders6: key(FamilySets.v6.seeders), leechers6: key(FamilySets.v6.leechers),
                     lifecycle: key(Self.lifecycleSuffix), clients4: key(FamilySets.v4.clients), clients6: key(FamilySets.v6.clients))
    }

    /// The suffixes of a swarm's keys after `<prefix>:{<hex>}:`: one family's two peer hashes and
    /// its peers-per-client counts, and the lifecycle hash. Swift names them here and the scripts
    /// in `Lua/layout.lua` (they derive the names from the lifecycle key's); a test holds the two
    /// to the same names.
    struct FamilySets {
        let isV6: Bool
        var seeders: StaticString { isV6 ? "S6" : "S4" }
        var leechers: StaticString { isV6 ? "L6" : "L4" }
        var clients: StaticString { isV6 ? "C6" : "C4" }

        static let v4 = FamilySets(isV6: false)
        static let v6 = FamilySets(isV6: true)
        static let both = [v4, v6]
        static func of(_ family: AddressFamily) -> FamilySets { FamilySets(isV6: family == .ipv6) }
    }

    static let lifecycleSuffix: StaticString = "t"

    /// A rack's set of one role and family, after `<prefix>:{<hex>}:`: `r:<rack name>:S4` and so
    /// on (`RACK` in `Lua/layout.lua`).
    static func rackSet(_ rack: String, role: StaticString) -> [UInt8] {
        Array("r:\(rack):\(role)".utf8)
    }
    /// Keys of the first layout (peers in ZSETs by deadline beside a detail hash), deleted once
    /// by `RedisLayout`.
    static let legacySuffixes = ["s4", "l4", "s6", "l6", "d"]
}

extension RedisKeys {
    /// What a swarm's keys share, `<prefix>:{<hex>}:`, as bytes built without String work: the
    /// announce path writes each key as this plus its suffix (`FamilySets`, `lifecycleSuffix`).
    func swarmBase(_ infoHash: InfoHash) -> [UInt8] {
        var base = prefixBytes
        base.reserveCapacity(prefixBytes.count + 46)
        base += [UInt8(ascii: ":"), UInt8(ascii: "{")]
        infoHash.raw.appendHex(to: &base)
        base += [UInt8(ascii: "}"), UInt8(ascii: ":")]
        return base
    }
}

extension RedisKeys.Swarm {
    var all: [String] { [seeders4, leechers4, seeders6, leechers6, lifecycle, clients4, clients6] }
    var peerSets: [String] { [seeders4, leechers4, seeders6, leechers6] }
}
