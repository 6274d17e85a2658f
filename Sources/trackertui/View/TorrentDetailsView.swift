import Foundation
import TrackerEngine

/// One torrent on a page: what its .torrent file says (when the catalog has it), its swarm now,
/// and its dates as the store keeps them.
struct TorrentDetailsView {
    func draw(_ state: DashboardState, torrent hash: InfoHash, on grid: inout CellGrid, from top: Int) {
        let row = state.snapshot.row(hash)
        grid.putTitles([TableColumn(title: row?.title ?? hash.hex, width: grid.columns, alignRight: false)], row: top)
        let now = state.snapshot.takenAt
        var lines: [(String, String)] = []
        if let metainfo = row?.catalogEntry?.metainfo {
            lines.append(("info-hash v1", metainfo.v1?.hex ?? "-"))
            lines.append(("info-hash v2", metainfo.v2.map { $0.hex + " (SHA-256, first 20 bytes)" } ?? "-"))
            let files = metainfo.fileCount == 1 ? "1 file" : "\(metainfo.fileCount) files"
            lines.append(("size", "\(Format.bytes(metainfo.totalLength)) (\(metainfo.totalLength) bytes) in \(files), pieces of \(Format.bytes(UInt64(metainfo.pieceLength)))"))
            lines.append(("private", metainfo.isPrivate ? "yes" : "no"))
            lines.append(("torrent file", row?.catalogEntry?.path ?? "-"))
        } else {
            lines.append(("info-hash", hash.hex))
            lines.append(("torrent file", "none in the catalog (--torrents)"))
        }
        let firstSeen = row?.lifecycle.firstSeen.flatMap { $0.seconds > 0 ? $0 : nil }
        lines.append(("registered", Self.date([row?.catalogEntry?.registered, firstSeen].compactMap { $0 }.min(), now: now)))
        if let deregistered = state.snapshot.moderation.deregistered[hash] {
            lines.append(("deregistered", Self.date(deregistered, now: now) + " (refused in closed mode; u in the access view lifts it)"))
        }
        if let row {
            lines.append(("swarm", "\(row.seeders) seeders, \(row.leechers) leechers, \(row.completed) completed, "
                          + "\(Format.rate(row.announcesPerMinute)) announces/min"))
            lines.append(("blacklisted", row.blacklisted ? "yes" : "no"))
            for (rack, counts) in Self.rackCounts(state.peers) {
                lines.append((rack == nil ? "no rack" : "rack \(rack!)", "\(counts.seeders) seeders, \(counts.leechers) leechers"))
            }
            let dates = row.lifecycle
            for (label, time) in [("first seen", dates.firstSeen), ("last activity", Optional(row.lastActivity)),
                                  ("first started", dates.firstStarted), ("last started", dates.lastStarted),
                                  ("first completed", dates.firstCompleted), ("last completed", dates.lastCompleted)] {
                lines.append((label, Self.date(time, now: now)))
            }
        } else {
            lines.append(("swarm", "not tracked now"))
        }
        for (offset, line) in lines.prefix(max(0, grid.rows - top - 3)).enumerated() {
            let x = grid.put(line.0.padding(toLength: 16, withPad: " ", startingAt: 0), row: top + 1 + offset, column: 1, role: .label)
            grid.put(line.1, row: top + 1 + offset, column: 1 + x, role: .value)
        }
    }

    /// Seeders and leechers per rack, racks by name then the peers in none; nothing when no
    /// peer is in a rack.
    static func rackCounts(_ peers: [PeerDetail]) -> [(rack: String?, counts: (seeders: Int, leechers: Int))] {
        guard peers.contains(where: { $0.rack != nil }) else { return [] }
        var counts: [String?: (seeders: Int, leechers: Int)] = [:]
        for peer in peers {
            if peer.isSeeder { counts[peer.rack, default: (0, 0)].seeders += 1 } else { counts[peer.rack, default: (0, 0)].leechers += 1 }
        }
        return counts.sorted { ($0.key ?? "\u{10FFFF}") < ($1.key ?? "\u{10FFFF}") }.map { ($0.key, $0.value) }
    }

    /// `2026-11-30 21:00 UTC (3h12m ago)`, or `never`.
    static func date(_ time: TrackerTime?, now: TrackerTime) -> String {
        guard let time, time.seconds > 0 else { return "never" }
        return Format.utc(time) + " (\(Format.duration(now.seconds - time.seconds)) ago)"
    }
}
