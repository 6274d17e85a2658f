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
        let base = "\(prefix):{\(hex)}"
        return Swarm(seeders4: base + ":s4", leechers4: base + ":l4", seeders6: base + ":s6", leechers6: base + ":l6",
                     detail: base + ":d", lifecycle: base + ":t")
    }
}

extension RedisKeys {
    /// What a swarm's keys share, `<prefix>:{<hex>}:`, as bytes built without String work: the
    /// announce path writes each key as this plus its suffix (`s4` `l4` `s6` `l6` `d` `t`).
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
