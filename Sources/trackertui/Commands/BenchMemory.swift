import ArgumentParser
import Foundation
import TrackerEngine

extension TrackerTUI {
    /// The memory benchmark behind `make bench`: fills a memory store with synthetic peers
    /// (full peer detail, as real announces leave it) and reports resident memory per peer.
    struct BenchMemory: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench-memory",
            abstract: "Fill an in-memory store with synthetic peers and report memory per peer.",
            shouldDisplay: false)

        @Option(help: "Peers to add in total.")
        var peers = 1_000_000

        @Option(help: "Torrents to spread them over.")
        var torrents = 10_000

        @Option(help: "Percentage of peers that are IPv6.")
        var ipv6Percent = 0

        func run() throws {
            let store = MemorySwarmStore()
            let now = TrackerTime(seconds: 1_700_000_000)
            let before = Self.residentBytes()
            let start = Date()
            var rng = SystemRandomNumberGenerator()
            let hashes = (0..<torrents).map { _ in InfoHash(Bytes20(a: rng.next(), b: rng.next(), c: UInt32(truncatingIfNeeded: rng.next()))) }
            for i in 0..<peers {
                let endpoint: PeerEndpoint = i % 100 < ipv6Percent
                    ? .v6(IPv6Endpoint(high: 0x2001_0db8_0000_0000 | UInt64(i >> 16), low: UInt64(i), port: UInt16(truncatingIfNeeded: i) | 1))
                    : .v4(IPv4Endpoint(address: 0x0A00_0000 | UInt32(truncatingIfNeeded: i >> 8), port: UInt16(truncatingIfNeeded: i * 7) | 1))
                let request = AnnounceRequest(
                    infoHash: hashes[i % torrents], peerID: PeerID(Bytes20(a: rng.next(), b: rng.next(), c: 7)), endpoint: endpoint,
                    uploaded: UInt64(i) * 1000, downloaded: UInt64(i) * 3000, left: i % 3 == 0 ? 0 : UInt64(i),
                    event: .started, numwant: 0, key: UInt32(truncatingIfNeeded: i))
                _ = store.announce(request, now: now)
            }
            let elapsed = Date().timeIntervalSince(start)
            let after = Self.residentBytes()
            let totals = store.totals()
            let perPeer = Double(after - before) / Double(totals.peers)
            print(String(format: "RESULT bench=memory peers=%d torrents=%d ipv6_pct=%d rss_delta_mib=%.1f bytes_per_peer=%.1f fill_secs=%.2f announces_per_sec=%.0f",
                         totals.peers, totals.torrents, ipv6Percent, Double(after - before) / 1_048_576, perPeer,
                         elapsed, Double(peers) / elapsed))
        }

        /// Resident set size from /proc/self/statm (pages × page size).
        static func residentBytes() -> Int {
            guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
            let fields = text.split(separator: " ")
            guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
            return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        }
    }
}
