@testable import TrackerEngine

enum Fixture {
    /// A distinct info-hash per number.
    static func hash(_ n: UInt64) -> InfoHash {
        InfoHash(Bytes20(a: n &* 0x9E37_79B9_7F4A_7C15 | 1, b: n, c: 0xABCD))
    }

    static func peerID(_ n: UInt64) -> PeerID {
        PeerID(Bytes20(bytes: Array("-TR3000-".utf8) + Array(String(format: "%012llu", n).utf8))!)
    }

    static func v4(_ last: UInt8, port: UInt16 = 6881) -> PeerEndpoint {
        .v4(IPv4Endpoint(address: 0x0A00_0000 | UInt32(last), port: port))
    }

    static func v6(_ last: UInt64, port: UInt16 = 6881) -> PeerEndpoint {
        .v6(IPv6Endpoint(high: 0x2001_0DB8_0000_0000, low: last, port: port))
    }

    static func announce(_ hash: InfoHash, _ endpoint: PeerEndpoint, id: UInt64 = 0, left: UInt64? = 100,
                         event: AnnounceEvent = .none, numwant: Int = 50, wantsPeerIDs: Bool = false) -> AnnounceRequest {
        AnnounceRequest(infoHash: hash, peerID: peerID(id), endpoint: endpoint, left: left, event: event,
                        numwant: numwant, wantsPeerIDs: wantsPeerIDs)
    }

    /// Percent-encodes every byte: what a careful client sends.
    static func percentEncoded(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%%%02X", $0) }.joined()
    }
}

import Foundation
