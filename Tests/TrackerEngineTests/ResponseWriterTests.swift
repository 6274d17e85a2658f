import NIOCore
import Testing
@testable import TrackerEngine

@Suite("Response writers")
struct ResponseWriterTests {
    func text(_ write: (inout ByteBuffer) -> Void) -> [UInt8] {
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        write(&buffer)
        return Array(buffer.readableBytesView)
    }

    @Test("compact IPv4 announce reply, byte for byte")
    func compactV4() throws {
        let result = AnnounceResult(counts: SwarmCounts(seeders: 3, leechers: 1, completed: 12),
                                    compactPeers: [10, 0, 0, 1, 0x1A, 0xE1])  // 10.0.0.1:6881
        let bytes = text {
            AnnounceResponse.write(result, family: .ipv4,
                                   options: AnnounceReplyOptions(interval: 1800, minInterval: 300, externalIP: .v4(IPv4Endpoint(address: 0x7F00_0001, port: 9))), into: &$0)
        }
        let expected: [UInt8] = Array("d8:completei3e10:downloadedi12e11:external ip4:".utf8) + [127, 0, 0, 1]
            + Array("10:incompletei1e8:intervali1800e12:min intervali300e5:peers6:".utf8) + [10, 0, 0, 1, 0x1A, 0xE1] + Array("e".utf8)
        #expect(bytes == expected)
        // And a decoder that insists on sorted keys accepts it.
        let decoded = try BencodeValue.decode(bytes)
        #expect(decoded["peers"]?.bytes?.count == 6)
    }

    @Test("an IPv6 announcer gets peers6 and an empty peers")
    func compactV6() throws {
        let peer = Fixture.v6(5, port: 80)
        let result = AnnounceResult(counts: SwarmCounts(seeders: 1), compactPeers: peer.compact)
        let bytes = text {
            AnnounceResponse.write(result, family: .ipv6, options: AnnounceReplyOptions(interval: 60, minInterval: 30), into: &$0)
        }
        let decoded = try BencodeValue.decode(bytes)
        #expect(decoded["peers"]?.bytes == [])
        #expect(decoded["peers6"]?.bytes == peer.compact)
        #expect(decoded["external ip"] == nil)
    }

    @Test("the dictionary model lists ip, peer id and port; no_peer_id leaves the id out")
    func dictionaryModel() throws {
        let result = AnnounceResult(counts: SwarmCounts(leechers: 2), compactPeers: Fixture.v4(7, port: 51413).compact + Fixture.v6(1).compact.prefix(0),
                                    peerIDs: [Fixture.peerID(7)])
        let withIDs = try BencodeValue.decode(text {
            AnnounceResponse.write(result, family: .ipv4, options: AnnounceReplyOptions(interval: 60, minInterval: 30, compact: false), into: &$0)
        })
        let peer = try #require(withIDs["peers"]?.list?.first)
        #expect(peer["ip"]?.text == "10.0.0.7")
        #expect(peer["port"]?.integer == 51413)
        #expect(peer["peer id"]?.bytes == Fixture.peerID(7).bytes)

        let noIDs = try BencodeValue.decode(text {
            AnnounceResponse.write(result, family: .ipv4,
                                   options: AnnounceReplyOptions(interval: 60, minInterval: 30, compact: false, noPeerID: true), into: &$0)
        })
        #expect(noIDs["peers"]?.list?.first?["peer id"] == nil)
    }

    @Test("failure reason alone")
    func failure() {
        #expect(text { FailureResponse.write("invalid port: must be 1-65535", into: &$0) }
                == Array("d14:failure reason29:invalid port: must be 1-65535e".utf8))
    }

    @Test("scrape lists files in info-hash byte order")
    func scrape() throws {
        let low = InfoHash(Bytes20(bytes: [UInt8](repeating: 0x01, count: 20))!)
        let high = InfoHash(Bytes20(bytes: [UInt8](repeating: 0xF0, count: 20))!)
        let bytes = text {
            ScrapeResponse.write([ScrapeEntry(infoHash: high, counts: SwarmCounts(seeders: 1, leechers: 2, completed: 3)),
                                  ScrapeEntry(infoHash: low, counts: SwarmCounts())], into: &$0)
        }
        let expected: [UInt8] = Array("d5:filesd20:".utf8) + low.bytes + Array("d8:completei0e10:downloadedi0e10:incompletei0ee20:".utf8)
            + high.bytes + Array("d8:completei1e10:downloadedi3e10:incompletei2eeee".utf8)
        #expect(bytes == expected)
        #expect(throws: Never.self) { try BencodeValue.decode(bytes) }
    }

    @Test("decimal writing covers the edges", arguments: [0, 9, 10, 99, 12345, Int.max, -1, Int.min])
    func decimals(value: Int) {
        #expect(text { $0.writeBencodeInteger(value) } == Array("i\(value)e".utf8))
    }

    @Test("IPv6 addresses print in RFC 5952 form", arguments: [
        (IPv6Endpoint(high: 0x2001_0DB8_0000_0000, low: 1, port: 1), "2001:db8::1"),
        (IPv6Endpoint(high: 0, low: 1, port: 1), "::1"),
        (IPv6Endpoint(high: 0, low: 0, port: 1), "::"),
        (IPv6Endpoint(high: 0x2001_0DB8_0000_0001, low: 0x0000_0001_0000_0001, port: 1), "2001:db8:0:1:0:1:0:1"),
        (IPv6Endpoint(high: 0xFE80_0000_0000_0000, low: 0x0202_B3FF_FE1E_8329, port: 1), "fe80::202:b3ff:fe1e:8329"),
    ])
    func ipv6Text(endpoint: IPv6Endpoint, expected: String) {
        #expect(endpoint.addressString == expected)
    }
}
