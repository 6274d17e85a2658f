import Testing
@testable import TrackerEngine

@Suite("Peer table")
struct PeerTableTests {
    @Test("records are compact: 64 bytes per IPv4 peer, 80 per IPv6 peer")
    func recordSizes() {
        #expect(MemoryLayout<PeerRecord4>.stride == 64)
        #expect(MemoryLayout<PeerRecord6>.stride == 80)
    }

    @Test("the index agrees with a plain dictionary through random inserts and removals")
    func matchesReference() {
        var table = PeerTable<PeerRecord4>()
        var reference: [IPv4Endpoint: UInt32] = [:]
        var rng = SplitMix(seed: 99)
        for step in 0..<60_000 {
            // A small address space so that lookups hit and probe runs collide.
            let address = IPv4Endpoint(address: UInt32(rng.next() % 64), port: UInt16(rng.next() % 40))
            let position = table.find(address)
            #expect((position != nil) == (reference[address] != nil), "step \(step): find disagrees for \(address)")
            if let position {
                #expect(table[position].key == reference[address])
                if rng.next() % 3 == 0 {
                    var record = table[position]
                    record.key = UInt32(step)
                    table[position] = record
                    reference[address] = UInt32(step)
                } else {
                    table.remove(at: position)
                    reference[address] = nil
                }
            } else {
                var record = PeerRecord4(address: address)
                record.key = UInt32(step)
                table.insert(record)
                reference[address] = UInt32(step)
            }
            #expect(table.count == reference.count)
        }
        for (address, key) in reference {
            let position = table.find(address)
            #expect(position.map { table[$0].key } == key)
        }
    }

    @Test("removeAll(where:) removes exactly the matching peers")
    func removeWhere() {
        var table = PeerTable<PeerRecord6>()
        for i in 0..<500 {
            var record = PeerRecord6(address: IPv6Endpoint(high: 1, low: UInt64(i), port: 1))
            record.lastSeen = UInt32(i)
            table.insert(record)
        }
        #expect(table.removeAll { $0.lastSeen < 300 } == 300)
        #expect(table.count == 200)
        for i in 0..<500 {
            #expect((table.find(IPv6Endpoint(high: 1, low: UInt64(i), port: 1)) != nil) == (i >= 300))
        }
    }
}

/// Hash flooding: addresses and info-hashes a client crafts against an unkeyed hash.
@Suite("Keyed hashing")
struct KeyedHashingTests {
    /// The murmur3 finalizer the peer index used to hash with, and its inverse: with both, a
    /// client can choose IPv6 interface ids whose hashes share their low bits.
    static func fmix(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33; h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33; h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    static func unfmix(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33; h = h &* 0x9CB4_B2F8_1293_37DB
        h ^= h >> 33; h = h &* 0x4F74_430C_22A5_4005
        h ^= h >> 33
        return h
    }

    @Test("IPv6 peers crafted to collide under an unkeyed hash spread over the index's slots")
    func craftedPeers() {
        let high: UInt64 = 0x2001_0DB8_0000_0001, port: UInt16 = 6881
        #expect(Self.fmix(Self.unfmix(0x1234_5678)) == 0x1234_5678, "the inverse is right")
        // Every crafted endpoint hashes to i << 20 under the old mix(high ^ mix(low ^ port)): slot 0 of any table up to 2^20.
        let crafted = (1...1000).map { i in
            IPv6Endpoint(high: high, low: Self.unfmix(Self.unfmix(UInt64(i) << 20) ^ high) ^ UInt64(port), port: port)
        }
        #expect(Set(crafted.map { Self.fmix($0.high ^ Self.fmix($0.low ^ UInt64($0.port))) & 1023 }).count == 1)
        let slots = Set(crafted.map { PeerRecord6.indexHash($0) & 1023 })
        #expect(slots.count > 500, "crafted peers use \(slots.count) of 1024 slots")
    }

    @Test("info-hashes that share their first bytes spread over the shards")
    func craftedInfoHashes() {
        let store = MemorySwarmStore(shardCount: 256)
        let shards = Set((0..<1000).map { i in store.shardIndex(for: InfoHash(Bytes20(a: 0xAB, b: UInt64(i), c: 0))) })
        #expect(shards.count > 150, "info-hashes that share their first 8 bytes use \(shards.count) of 256 shards")
        let differentA = Set((0..<1000).map { i in store.shardIndex(for: InfoHash(Bytes20(a: UInt64(i) << 8 | 0xAB, b: 0, c: 0))) })
        #expect(differentA.count > 150, "info-hashes whose low byte is the same use \(differentA.count) of 256 shards")
    }
}
