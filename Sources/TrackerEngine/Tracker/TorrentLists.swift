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
    /// Other engines' catalogs and whitelists (closed mode with Redis).
    private let shared: SharedCatalogFollower?

    init(configuration: TrackerConfiguration, store: any SwarmStore, moderator: Moderator, logger: Logger) {
        let catalog = catalog, registered = configuration.mode == .closed ? RegisteredTorrents(access: moderator.access) : nil
        self.registered = registered
        names = configuration.torrentDirectories.isEmpty ? nil : catalog
        blacklistFile = configuration.blacklistFile.map {
            BlacklistFile(path: $0, moderator: moderator, logger: logger,
                          appliedPath: configuration.dataDirectory.map { $0 + "/blacklist-file-applied" })
        }
        let registry = store as? any CatalogRegistry
        let shared = registered == nil ? nil : registry.map { SharedCatalogFollower(registry: $0) }
        self.shared = shared
        moderator.describeTorrents { hash in
            (catalog.entry(for: hash) ?? shared?.latest.entries[hash]).map { ($0.metainfo.name, $0.registered) }
        }
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

    /// One look at the shared lists, applied when they changed.
    private func readShared() async {
        guard let shared, let registered, let changed = await shared.refresh() else { return }
        registered.update(shared: changed.registered)
    }

    /// The whitelist's info-hashes; a file that is missing or cannot be read leaves the list
    /// empty (closed mode then tracks the catalog alone).
    static func readWhitelist(_ path: String?, logger: Logger) -> Set<InfoHash> {
        guard let path else { return [] }
        do {
            return try InfoHashListFile.read(path, list: "whitelist", logger: logger)
        } catch {
            logger.error("whitelist not read", metadata: ["file": "\(path)", "error": "\(error)"])
            return []
        }
    }
}
