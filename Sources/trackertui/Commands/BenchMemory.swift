import ArgumentParser
import Foundation
import Logging
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

        @Option(help: "memory, or redis: a managed redis-server (the same settings `serve` uses) in a temporary directory.")
        var store = "memory"

        func run() throws {
            if store == "redis" { return try runRedis() }
            let store = MemorySwarmStore()
            let before = Self.residentBytes()
            let start = Date()
            for request in requests() {
                _ = store.announceImmediately(request, now: Self.now)
            }
            let elapsed = Date().timeIntervalSince(start)
            let after = Self.residentBytes()
            let totals = store.totals()
            let perPeer = Double(after - before) / Double(totals.peers)
            print(String(format: "RESULT bench=memory store=memory peers=%d torrents=%d ipv6_pct=%d rss_delta_mib=%.1f bytes_per_peer=%.1f fill_secs=%.2f announces_per_sec=%.0f",
                         totals.peers, totals.torrents, ipv6Percent, Double(after - before) / 1_048_576, perPeer,
                         elapsed, Double(peers) / elapsed))
        }

        /// Redis: memory is the server's `used_memory` growth; the fill runs 512 announces at a time.
        func runRedis() throws {
            let bench = try BenchRedis()
            let before = try bench.info("memory", "used_memory")
            let start = Date()
            let failures = bench.announceAll(requests(), now: Self.now)
            let elapsed = Date().timeIntervalSince(start)
            let after = try bench.info("memory", "used_memory")
            print(String(format: "RESULT bench=memory store=redis peers=%d torrents=%d ipv6_pct=%d used_memory_delta_mib=%.1f bytes_per_peer=%.1f fill_secs=%.2f announces_per_sec=%.0f failures=%d",
                         peers, torrents, ipv6Percent, (after - before) / 1_048_576, (after - before) / Double(peers),
                         elapsed, Double(peers) / elapsed, failures))
        }

        static let now = TrackerTime(seconds: 1_700_000_000)

        func requests() -> [AnnounceRequest] {
            Self.syntheticRequests(peers: peers, torrents: torrents, ipv6Percent: ipv6Percent)
        }

        /// Every synthetic announce: peers spread round-robin over the torrents, full detail each.
        static func syntheticRequests(peers: Int, torrents: Int, ipv6Percent: Int = 0) -> [AnnounceRequest] {
            var rng = SystemRandomNumberGenerator()
            let hashes = (0..<torrents).map { _ in InfoHash(Bytes20(a: rng.next(), b: rng.next(), c: UInt32(truncatingIfNeeded: rng.next()))) }
            return (0..<peers).map { i in
                let endpoint: PeerEndpoint = i % 100 < ipv6Percent
                    ? .v6(IPv6Endpoint(high: 0x2001_0db8_0000_0000 | UInt64(i >> 16), low: UInt64(i), port: UInt16(truncatingIfNeeded: i) | 1))
                    : .v4(IPv4Endpoint(address: 0x0A00_0000 | UInt32(truncatingIfNeeded: i >> 8), port: UInt16(truncatingIfNeeded: i * 7) | 1))
                return AnnounceRequest(
                    infoHash: hashes[i % torrents], peerID: PeerID(Bytes20(a: rng.next(), b: rng.next(), c: 7)), endpoint: endpoint,
                    uploaded: UInt64(i) * 1000, downloaded: UInt64(i) * 3000, left: i % 3 == 0 ? 0 : UInt64(i),
                    event: .started, numwant: 0, key: UInt32(truncatingIfNeeded: i))
            }
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

/// `--bench-prefill PEERS:TORRENTS` (hidden): synthetic peers put in a memory store before the
/// tracker serves, so `bench/dashboard.sh` measures a busy tracker without announcing it full.
struct BenchPrefillOptions: ParsableArguments {
    @Option(help: ArgumentHelp("PEERS:TORRENTS synthetic peers put in a memory store at start (benchmarks only).", visibility: .hidden))
    var benchPrefill: String?

    func validate() throws {
        if let benchPrefill, benchPrefill.split(separator: ":").compactMap({ Int($0) }).count != 2 {
            throw ValidationError("--bench-prefill expects PEERS:TORRENTS")
        }
    }

    func prefill(_ tracker: TrackerService, logger: Logger) {
        guard let benchPrefill, let memory = tracker.store as? MemorySwarmStore else { return }
        let parts = benchPrefill.split(separator: ":").compactMap { Int($0) }
        let now = SystemClock().now()
        for var request in TrackerTUI.BenchMemory.syntheticRequests(peers: parts[0], torrents: parts[1]) {
            request.event = .none
            _ = memory.announceImmediately(request, now: now)
        }
        logger.notice("prefilled", metadata: ["peers": "\(parts[0])", "torrents": "\(parts[1])"])
    }
}
