import Logging

/// What `--torrents`, `--mode`, `--whitelist` and `--blacklist` add to an engine, wired
/// together: the catalog and its watcher, closed mode's registered torrents (fed by the catalog,
/// the whitelist and, with Redis, what other engines share), the catalog's publication, and the
/// blacklist file.
final class TorrentLists: Sendable {
    let catalog = TorrentCatalog()
    /// Closed mode's registered torrents; nil in open mode.
    let registered: RegisteredTorrents?
    /// The catalog scrape replies take names from (nil without `--torrents`).
    let names: TorrentCatalog?
    private let watcher: CatalogWatcher?
    private let blacklistFile: BlacklistFile?
    /// Where other engines' catalogs and whitelists are read (closed mode with Redis).
    private let shared: (any CatalogRegistry)?
    /// The shared lists' version last applied.
    private let sharedVersion = Locked<Int64?>(nil)

    init(configuration: TrackerConfiguration, store: any SwarmStore, moderator: Moderator, logger: Logger) {
        let catalog = catalog, registered = configuration.mode == .closed ? RegisteredTorrents(access: moderator.access) : nil
        self.registered = registered
        names = configuration.torrentDirectories.isEmpty ? nil : catalog
        blacklistFile = configuration.blacklistFile.map {
            BlacklistFile(path: $0, moderator: moderator, logger: logger,
                          appliedPath: configuration.dataDirectory.map { $0 + "/blacklist-file-applied" })
        }
        let registry = store as? any CatalogRegistry
        shared = registered == nil ? nil : registry
        guard !configuration.torrentDirectories.isEmpty || configuration.mode == .closed else {
            watcher = nil
            return
        }
        let whitelist = configuration.whitelistFile
        // With Redis, the catalog is shared for attached dashboards and nodes without the files.
        let publisher = registry.map { CatalogPublisher(registry: $0, logger: logger) }
        watcher = CatalogWatcher(directories: configuration.torrentDirectories, catalog: catalog, logger: logger) { hashes in
            let listed = Self.readWhitelist(whitelist, logger: logger)
            if let publisher {
                let published = SharedCatalog(entries: catalog.all, whitelist: listed)
                Task { await publisher.publish(published) }
            }
            registered?.update(catalog: hashes, whitelist: listed)
        }
    }

    /// Applies the blacklist file, reads the catalog and (closed mode with Redis) what other
    /// engines share: done before any listener opens, so nothing registered is refused at start.
    func start() async {
        await blacklistFile?.sync()
        watcher?.start()
        if followsShared { await readShared() }
    }

    func stop() {
        watcher?.stop()
    }

    /// Reads the catalog's directories, the whitelist and the blacklist file again (SIGHUP).
    func reload() {
        watcher?.rescan()
        if let blacklistFile { Task { await blacklistFile.sync() } }
    }

    /// Whether `followShared` has work: closed mode with Redis.
    var followsShared: Bool { shared != nil && registered != nil }

    /// Closed mode with Redis: the torrents other engines' catalogs and whitelists hold are
    /// tracked here too, looked up every 5 s (a version read; the lists only when it moved).
    /// Runs until cancelled (call it only when `followsShared`).
    func followShared() async throws {
        while true {
            try await Task.sleep(for: .seconds(5))
            await readShared()
        }
    }

    /// One look at the shared lists: their version, and the lists when it moved.
    private func readShared() async {
        guard let shared, let registered, let read = try? await shared.sharedCatalog(unless: sharedVersion.value) else { return }
        sharedVersion.update { $0 = read.version }
        if let catalog = read.catalog { registered.update(shared: catalog.registered) }
    }

    /// The whitelist's info-hashes; a line that does not parse is logged and skipped, a file that
    /// cannot be read leaves the list empty (closed mode then tracks the catalog alone).
    static func readWhitelist(_ path: String?, logger: Logger) -> Set<InfoHash> {
        guard let path else { return [] }
        do {
            let (hashes, problems) = ModerationFileFormat.infoHashes(try PrivateFiles.read(path, followingLinks: true) ?? [])
            for problem in problems {
                logger.warning("whitelist line skipped", metadata: ["file": "\(path)", "line": "\(problem.line)", "reason": "\(problem.reason)"])
            }
            return hashes
        } catch {
            logger.error("whitelist not read", metadata: ["file": "\(path)", "error": "\(error)"])
            return []
        }
    }
}
