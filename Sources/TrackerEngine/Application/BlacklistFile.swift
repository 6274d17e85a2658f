import Logging

/// A `--blacklist` file (opentracker's format) applied through the moderator, so its hashes are
/// refused, purged, persisted and (with Redis) shared exactly as a dashboard's `b` would do. A
/// hash the file drops is lifted again if it was this file that blacklisted it; one a moderator
/// had blacklisted already stays. What the file blacklisted is remembered in `appliedPath` (the
/// data directory), so a line removed while the tracker was down is lifted at the next start.
/// Read at start and on SIGHUP.
public actor BlacklistFile {
    public let path: String
    private let moderator: Moderator
    private let logger: Logger
    /// What this file blacklisted (and nobody had before).
    private var applied: Set<InfoHash>
    private let appliedPath: String?

    public init(path: String, moderator: Moderator, logger: Logger, appliedPath: String? = nil) {
        self.path = path
        self.moderator = moderator
        self.logger = logger
        self.appliedPath = appliedPath
        applied = appliedPath.flatMap { try? PrivateFiles.read($0) }.map { ModerationFileFormat.infoHashes($0).0 } ?? []
    }

    /// Reads the file and applies what changed since the last read. A file that is missing or
    /// cannot be read changes nothing (a typo in a path must not lift a whole blacklist).
    public func sync() async {
        let listed: Set<InfoHash>
        do {
            listed = try InfoHashListFile.read(path, list: "blacklist file", logger: logger)
        } catch {
            logger.error("blacklist file not read", metadata: ["file": "\(path)", "error": "\(error)"])
            return
        }
        let blacklisted = moderator.access.current.blacklist
        for hash in listed.subtracting(applied) where !blacklisted.contains(hash) {
            do {
                try await moderator.blacklist(hash)
                applied.insert(hash)
            } catch {
                logger.error("blacklist file entry not applied", metadata: ["info_hash": "\(hash)", "error": "\(error)"])
            }
        }
        for hash in applied.subtracting(listed) {
            do {
                try await moderator.unblacklist(hash)
                applied.remove(hash)
            } catch {
                logger.error("blacklist file entry not lifted", metadata: ["info_hash": "\(hash)", "error": "\(error)"])
            }
        }
        if let appliedPath {
            do {
                try PrivateFiles.replace(appliedPath, with: ModerationFileFormat.render(blacklist: applied))
            } catch {
                logger.warning("blacklist file state not saved", metadata: ["file": "\(appliedPath)", "error": "\(error)"])
            }
        }
    }
}
