import Foundation
import Synchronization

/// Moderation lists as two text files in the data directory:
/// - `blacklist`: opentracker's format, one 40-hex info-hash a line, `#` starts a comment;
/// - `bans`: `<address> <deadline, unix seconds>` a line.
/// Writes go to a temporary file renamed over the old one, so a crash never leaves half a list.
/// An edit by hand is picked up within two seconds (the files' modification times are polled).
public final class FileModerationBackend: ModerationBackend {
    public let directory: String
    private let writeLock = Mutex(())
    private let watcher = Locked<StoppableThread?>(nil)

    public init(directory: String) {
        self.directory = directory
    }

    public var location: String { "files in \(directory)" }
    private var blacklistPath: String { directory + "/blacklist" }
    private var bansPath: String { directory + "/bans" }

    public func load(now: TrackerTime) throws -> ModerationState {
        try writeLock.withLock { _ in try read() }.withoutExpiredBans(now: now)
    }

    private func read() throws -> ModerationState {
        var state = ModerationState()
        for line in try lines(of: blacklistPath) {
            if let hash = InfoHash(hex: line) { state.blacklist.insert(hash) }
        }
        for line in try lines(of: bansPath) {
            let fields = line.split(separator: " ")
            if fields.count == 2, let address = PeerAddress(fields[0]), let deadline = Int64(fields[1]) {
                state.bans[address] = TrackerTime(seconds: deadline)
            }
        }
        return state
    }

    /// The meaningful lines of a file: comments and blanks dropped; a missing file has none.
    private func lines(of path: String) throws -> [Substring] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch { throw ModerationError("cannot read \(path): \(error.localizedDescription)") }
        return text.split(whereSeparator: \.isNewline).compactMap { line in
            let content = line.prefix { $0 != "#" }.trimmingCharacters(in: .whitespaces)
            return content.isEmpty ? nil : Substring(content)
        }
    }

    public func setBlacklisted(_ infoHash: InfoHash, _ listed: Bool) throws {
        try change { state in
            if listed { state.blacklist.insert(infoHash) } else { state.blacklist.remove(infoHash) }
        }
    }

    public func ban(_ address: PeerAddress, until: TrackerTime) throws {
        try change { $0.bans[address] = until }
    }

    public func unban(_ address: PeerAddress) throws {
        try change { $0.bans[address] = nil }
    }

    private func change(_ edit: (inout ModerationState) -> Void) throws {
        try writeLock.withLock { _ in
            var state = try read()
            edit(&state)
            let blacklist = "# trackertui blacklist: one info-hash (40 hex characters) a line\n"
                + state.blacklist.map(\.hex).sorted().joined(separator: "\n") + "\n"
            let bans = "# trackertui bans: <address> <until, unix seconds>\n"
                + state.bans.sorted { $0.value < $1.value }.map { "\($0.key) \($0.value.seconds)" }.joined(separator: "\n") + "\n"
            try write(blacklist, to: blacklistPath)
            try write(bans, to: bansPath)
        }
    }

    private func write(_ text: String, to path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw ModerationError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    public func watch(_ changed: @escaping @Sendable () -> Void) {
        let paths = [blacklistPath, bansPath]
        watcher.value = StoppableThread(name: "trackertui-moderation") { thread in
            var stamps = paths.map(Self.modificationTime)
            var ticks = 0
            while !thread.isStopping {
                usleep(250_000)
                ticks += 1
                guard ticks % 8 == 0 else { continue }
                let now = paths.map(Self.modificationTime)
                if now != stamps { changed() }
                stamps = now
            }
        }
    }

    public func stopWatching() {
        watcher.value?.stop(timeout: 1)
    }

    private static func modificationTime(_ path: String) -> Double? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)?.timeIntervalSince1970
    }
}
