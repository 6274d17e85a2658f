import Foundation
import Logging
import NIOConcurrencyHelpers

/// Moderation lists as three text files in the data directory (see `ModerationFileFormat`):
/// `blacklist` (opentracker's format), `bans` and `deregistered`. Files are private to the tracker's user and
/// rewritten whole (`PrivateFiles`), so a crash never leaves half a list. An edit by hand is
/// picked up within two seconds (the files' modification times are polled); a line that does not
/// parse is logged with its file and number and skipped.
public final class FileModerationBackend: ModerationBackend {
    public let directory: String
    private let logger: Logger
    /// Reads and rewrites of the files, one at a time (a lock with no value to guard).
    private let writeLock = NIOLock()
    private let watcher = Locked<ThreadGroup?>(nil)

    public init(directory: String, logger: Logger) {
        self.directory = directory
        self.logger = logger
    }

    public var location: String { "files in \(directory)" }
    private var blacklistPath: String { directory + "/blacklist" }
    private var bansPath: String { directory + "/bans" }
    private var deregisteredPath: String { directory + "/deregistered" }

    public func load(now: TrackerTime) throws -> ModerationState {
        try writeLock.withLock { try read(reporting: true) }.withoutExpiredBans(now: now)
    }

    private func read(reporting: Bool) throws -> ModerationState {
        do {
            let (blacklist, blacklistProblems) = ModerationFileFormat.infoHashes(try PrivateFiles.read(blacklistPath) ?? [])
            let (bans, banProblems) = ModerationFileFormat.bans(try PrivateFiles.read(bansPath) ?? [])
            let (deregistered, deregisteredProblems) = ModerationFileFormat.deregistered(try PrivateFiles.read(deregisteredPath) ?? [])
            if reporting {
                for (path, problem) in blacklistProblems.map({ (blacklistPath, $0) }) + banProblems.map({ (bansPath, $0) })
                    + deregisteredProblems.map({ (deregisteredPath, $0) }) {
                    logger.warning("moderation file line skipped", metadata: ["file": "\(path)", "line": "\(problem.line)", "reason": "\(problem.reason)"])
                }
            }
            return ModerationState(blacklist: blacklist, bans: bans, deregistered: deregistered)
        } catch {
            throw ModerationError("\(error)")
        }
    }

    public func setBlacklisted(_ infoHash: InfoHash, _ listed: Bool) throws {
        try change { state in
            if listed { state.blacklist.insert(infoHash) } else { state.blacklist.remove(infoHash) }
        }
    }

    public func ban(_ range: AddressRange, until: TrackerTime) throws {
        try change { $0.bans[range] = until }
    }

    public func unban(_ range: AddressRange) throws {
        try change { $0.bans[range] = nil }
    }

    public func setDeregistered(_ infoHash: InfoHash, at time: TrackerTime?) throws {
        try change { $0.deregistered[infoHash] = time }
    }

    private func change(_ edit: (inout ModerationState) -> Void) throws {
        try writeLock.withLock {
            var state = try read(reporting: false)
            edit(&state)
            do {
                try PrivateFiles.makeDirectory(directory)
                try PrivateFiles.replace(blacklistPath, with: ModerationFileFormat.render(blacklist: state.blacklist))
                try PrivateFiles.replace(bansPath, with: ModerationFileFormat.render(bans: state.bans))
                try PrivateFiles.replace(deregisteredPath, with: ModerationFileFormat.render(deregistered: state.deregistered))
            } catch {
                throw ModerationError("\(error)")
            }
        }
    }

    public func watch(_ changed: @escaping @Sendable () -> Void) {
        let paths = [blacklistPath, bansPath, deregisteredPath]
        watcher.value = ThreadGroup(starting: "trackertui-moderation") { thread in
            var stamps = paths.map(Self.modificationTime)
            // An edit made between the first load and these stamps would otherwise never be seen.
            changed()
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
