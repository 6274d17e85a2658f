/// The key layout (see the README's table). Every key of one swarm carries the hash tag
/// `{<hex info-hash>}`, so a swarm lives in one Redis Cluster slot.
struct RedisKeys: Sendable {
    let prefix: String
    private let prefixBytes: [UInt8]

    init(prefix: String) {
        self.prefix = prefix
        self.prefixBytes = Array(prefix.utf8)
    }

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
    func node(_ id: String) -> String { "\(prefix):node:\(id)" }

    struct Swarm {
        let seeders4, leechers4, seeders6, leechers6, detail, lifecycle: String
    }

    func swarm(_ infoHash: InfoHash) -> Swarm {
        swarm(hex: infoHash.hex)
    }

    func swarm(hex: String) -> Swarm {
        let base = "\(prefix):{\(hex)}:"
        func key(_ suffix: StaticString) -> String { base + suffix.description }
        return Swarm(seeders4: key(FamilySets.v4.seeders), leechers4: key(FamilySets.v4.leechers),
                     seeders6: key(FamilySets.v6.seeders), leechers6: key(FamilySets.v6.leechers),
                     detail: key(Self.detailSuffix), lifecycle: key(Self.lifecycleSuffix))
    }

    /// The suffixes of a swarm's keys after `<prefix>:{<hex>}:`: one family's two peer sets, the
    /// detail hash, the lifecycle hash. The one place that names them.
    struct FamilySets {
        let isV6: Bool
        var seeders: StaticString { isV6 ? "s6" : "s4" }
        var leechers: StaticString { isV6 ? "l6" : "l4" }
        var other: FamilySets { FamilySets(isV6: !isV6) }

        static let v4 = FamilySets(isV6: false)
        static let v6 = FamilySets(isV6: true)
        static let both = [v4, v6]
        static func of(_ endpoint: PeerEndpoint) -> FamilySets { FamilySets(isV6: endpoint.isV6) }
    }

    static let detailSuffix: StaticString = "d"
    static let lifecycleSuffix: StaticString = "t"
}

extension RedisKeys {
    /// What a swarm's keys share, `<prefix>:{<hex>}:`, as bytes built without String work: the
    /// announce path writes each key as this plus its suffix (`FamilySets`, `detailSuffix`,
    /// `lifecycleSuffix`).
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
    var all: [String] { [seeders4, leechers4, seeders6, leechers6, detail, lifecycle] }
    var peerSets: [String] { [seeders4, leechers4, seeders6, leechers6] }
}
