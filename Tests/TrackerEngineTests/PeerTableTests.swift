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
