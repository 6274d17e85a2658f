import Logging

/// The memory store's archive of deregistered torrents: the newest `maxKept` records in memory,
/// and, given a data directory, in its `archive` file, rewritten whole at each deregistration
/// (they are rare; a crash never leaves half a file) and read back at start, line by line, every
/// field checked: a line that does not parse is logged and skipped.
///
/// One tab-separated line per torrent: hex info-hash, deregistered, registered, first seen, last
/// activity, first and last started, first and last completed (unix seconds, `-` when unknown),
/// completed, announces, seeders, leechers, then the name (empty when unknown).
final class ArchiveFile: Sendable {
    static let maxKept = 10_000
    private let path: String?
    private let records: Locked<[ArchivedTorrent]>

    init(path: String?, logger: Logger) {
        self.path = path
        var loaded: [ArchivedTorrent] = []
        if let path {
            do {
                let lines = (try PrivateFiles.read(path) ?? []).split(separator: UInt8(ascii: "\n"))
                for (number, line) in lines.enumerated() where !line.isEmpty && line.first != UInt8(ascii: "#") {
                    if let record = Self.decode(String(decoding: line, as: UTF8.self)) {
                        loaded.append(record)
                    } else {
                        logger.warning("archive line skipped", metadata: ["file": "\(path)", "line": "\(number + 1)"])
                    }
                }
            } catch {
                logger.error("archive not read", metadata: ["file": "\(path)", "error": "\(error)"])
            }
        }
        records = Locked(Array(loaded.suffix(Self.maxKept)))
    }

    /// The record of one deregistration (a torrent and the second it was deregistered), if kept.
    func record(of infoHash: InfoHash, deregisteredAt time: TrackerTime) -> ArchivedTorrent? {
        records.update { records in records.last { Self.isSame($0, infoHash, time) } }
    }

    private static func isSame(_ record: ArchivedTorrent, _ infoHash: InfoHash, _ time: TrackerTime) -> Bool {
        record.infoHash == infoHash && record.deregistered.seconds == time.seconds
    }

    /// Adds a record unless the same deregistration is there already; false when it was.
    func add(_ record: ArchivedTorrent) throws(StoreError) -> Bool {
        let text: String? = records.update { records in
            if records.contains(where: { Self.isSame($0, record.infoHash, record.deregistered) }) { return nil }
            records.append(record)
            if records.count > Self.maxKept { records.removeFirst(records.count - Self.maxKept) }
            return records.map(Self.encode).joined()
        }
        guard let text else { return false }
        if let path {
            do {
                try PrivateFiles.replace(path, with: Array(("# trackertui archive of deregistered torrents\n" + text).utf8))
            } catch {
                throw .failed("archive not written: \(error)")
            }
        }
        return true
    }

    /// The newest `limit` records, newest first.
    func newest(_ limit: Int) -> [ArchivedTorrent] {
        records.update { Array($0.suffix(max(0, limit)).reversed()) }
    }

    static func encode(_ record: ArchivedTorrent) -> String {
        func time(_ t: TrackerTime?) -> String { t.map { String($0.seconds) } ?? "-" }
        let life = record.lifecycle
        let name = String((record.name ?? "").map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 })
        let fields = [record.infoHash.hex, time(record.deregistered), time(record.registered), time(life?.firstSeen), time(life?.lastActivity),
                      time(life?.firstStarted), time(life?.lastStarted), time(life?.firstCompleted), time(life?.lastCompleted),
                      String(life?.counts.completed ?? 0), String(life?.announces ?? 0),
                      String(life?.counts.seeders ?? 0), String(life?.counts.leechers ?? 0), name]
        return fields.joined(separator: "\t") + "\n"
    }

    static func decode(_ line: String) -> ArchivedTorrent? {
        let fields = line.split(separator: "\t", maxSplits: 13, omittingEmptySubsequences: false)
        guard fields.count == 14, let hash = InfoHash(hex: fields[0]) else { return nil }
        func number(_ i: Int) -> Int64? { fields[i].count <= 19 ? Int64(fields[i]).flatMap { $0 >= 0 ? $0 : nil } : nil }
        func time(_ i: Int) -> TrackerTime?? { fields[i] == "-" ? .some(nil) : number(i).map { .some(TrackerTime(seconds: $0)) } }
        guard let deregisteredAt = time(1), let deregistered = deregisteredAt, let registered = time(2), let firstSeen = time(3),
              let lastActivity = time(4), let firstStarted = time(5), let lastStarted = time(6), let firstCompleted = time(7),
              let lastCompleted = time(8), let completed = number(9), let announces = number(10), let seeders = number(11),
              let leechers = number(12), fields[13].utf8.count <= 4096 else { return nil }
        let lifecycle = firstSeen.map {
            TorrentInfo(infoHash: hash, counts: SwarmCounts(seeders: Int(clamping: seeders), leechers: Int(clamping: leechers), completed: Int(clamping: completed)),
                        announces: UInt64(announces), firstSeen: $0, lastActivity: lastActivity ?? $0, firstStarted: firstStarted,
                        lastStarted: lastStarted, firstCompleted: firstCompleted, lastCompleted: lastCompleted)
        }
        return ArchivedTorrent(infoHash: hash, name: fields[13].isEmpty ? nil : String(fields[13]), registered: registered,
                               deregistered: deregistered, lifecycle: lifecycle)
    }
}
