import Logging

/// Carries out moderation: persists each decision in the backend, applies it to the rules the
/// hot path checks, acts on the swarms (a blacklist purges, a kick removes, a deregistration
/// archives) and logs it.
/// The engine and an attached dashboard both use one; with Redis, changes made by either reach
/// every node through the backend's watch.
public final class Moderator: Sendable {
    public let access: AccessControl
    public let backend: any ModerationBackend
    private let store: any SwarmStore
    private let clock: any TrackerClock
    private let logger: Logger
    /// A torrent's name and registration time, from the catalogs, for the archive.
    private let lookup = Locked<CatalogLookup?>(nil)

    public typealias CatalogLookup = @Sendable (InfoHash) -> (name: String, registered: TrackerTime?)?

    public init(backend: any ModerationBackend, store: any SwarmStore, access: AccessControl = AccessControl(),
                clock: any TrackerClock = SystemClock(), logger: Logger) {
        self.backend = backend
        self.store = store
        self.access = access
        self.clock = clock
        self.logger = logger
    }

    /// Loads the lists and follows changes made elsewhere. A backend that cannot be read yet
    /// (Redis still down) is retried by its watch.
    public func start() {
        reload()
        backend.watch { [weak self] in self?.reload() }
    }

    public func stop() {
        backend.stopWatching()
    }

    /// Where deregistrations find the names and registration times they archive.
    public func describeTorrents(with lookup: @escaping CatalogLookup) {
        self.lookup.value = lookup
    }

    /// Loads the lists again. A torrent blacklisted elsewhere (another node, a dashboard, a hand
    /// edit of the file, an SADD by hand) has its swarm purged here as if blacklisted here; the
    /// purge of a swarm this store never had costs nothing.
    public func reload() {
        let state: ModerationState
        do {
            state = try backend.load(now: clock.now())
        } catch {
            logger.warning("cannot load moderation lists", metadata: ["from": "\(backend.location)", "error": "\(error)"])
            return
        }
        let previous = access.current
        if state != previous.withoutExpiredBans(now: clock.now()) {
            logger.info("moderation lists loaded", metadata: ["blacklisted": "\(state.blacklist.count)", "bans": "\(state.bans.count)"])
        }
        access.replace(with: state)
        let newlyDeregistered = state.deregistered.filter { previous.deregistered[$0.key] != $0.value }
        for (infoHash, time) in newlyDeregistered {
            Task { _ = try? await archive(infoHash, at: time) }
        }
        let newlyListed = state.blacklist.subtracting(previous.blacklist)
        guard !newlyListed.isEmpty else { return }
        let store = store, logger = logger
        Task {
            for infoHash in newlyListed {
                do {
                    try await store.purge(infoHash)
                } catch {
                    logger.warning("blacklisted torrent's swarm not purged", metadata: ["info_hash": "\(infoHash)", "error": "\(error)"])
                }
            }
        }
    }

    /// Refuses the torrent from now on and drops its swarm at once.
    public func blacklist(_ infoHash: InfoHash) async throws {
        try backend.setBlacklisted(infoHash, true)
        access.update { $0.blacklist.insert(infoHash) }
        do {
            try await store.purge(infoHash)
        } catch {
            logger.warning("blacklisted torrent's swarm not purged", metadata: ["info_hash": "\(infoHash)", "error": "\(error)"])
        }
        logger.notice("blacklisted", metadata: ["info_hash": "\(infoHash)"])
    }

    public func unblacklist(_ infoHash: InfoHash) async throws {
        try backend.setBlacklisted(infoHash, false)
        access.update { $0.blacklist.remove(infoHash) }
        logger.notice("blacklist lifted", metadata: ["info_hash": "\(infoHash)"])
    }

    /// Stops tracking the torrent (closed mode refuses it from now on; open mode tracks it again
    /// as a new torrent if it is announced) and moves its history to the store's archive.
    @discardableResult
    public func deregister(_ infoHash: InfoHash) async throws -> ArchivedTorrent {
        let now = clock.now()
        try backend.setDeregistered(infoHash, at: now)
        access.update { $0.deregistered[infoHash] = now }
        let record = try await archive(infoHash, at: now)
        logger.notice("deregistered", metadata: ["info_hash": "\(infoHash)", "name": "\(record.name ?? "")",
                                                 "completed": "\(record.lifecycle?.counts.completed ?? 0)"])
        return record
    }

    /// Lifts a deregistration: closed mode tracks the torrent again if a catalog or the
    /// whitelist has it. Its archived history stays in the archive.
    public func reregister(_ infoHash: InfoHash) async throws {
        try backend.setDeregistered(infoHash, at: nil)
        access.update { $0.deregistered[infoHash] = nil }
        logger.notice("registered again", metadata: ["info_hash": "\(infoHash)"])
    }

    private func archive(_ infoHash: InfoHash, at time: TrackerTime) async throws -> ArchivedTorrent {
        let known = lookup.value?(infoHash)
        return try await store.deregister(ArchivedTorrent(infoHash: infoHash, name: known?.name, registered: known?.registered, deregistered: time))
    }

    /// Drops one peer now; it may come back with its next announce.
    @discardableResult
    public func kick(_ peer: PeerEndpoint, from infoHash: InfoHash) async throws -> Bool {
        let removed = try await store.remove(peer: peer, from: infoHash)
        logger.notice("kicked", metadata: ["peer": "\(peer)", "info_hash": "\(infoHash)", "was_there": "\(removed)"])
        return removed
    }

    /// Refuses every request from `range` for `seconds`; `peer` (its entry in one swarm) goes now.
    public func ban(_ range: AddressRange, seconds: Int64, dropping peer: (PeerEndpoint, InfoHash)? = nil) async throws {
        let until = clock.now().adding(seconds: seconds)
        try backend.ban(range, until: until)
        access.update { $0.bans[range] = until }
        if let (endpoint, infoHash) = peer { _ = try? await store.remove(peer: endpoint, from: infoHash) }
        logger.notice("banned", metadata: ["range": "\(range)", "seconds": "\(seconds)"])
    }

    public func unban(_ range: AddressRange) async throws {
        try backend.unban(range)
        access.update { $0.bans[range] = nil }
        logger.notice("ban lifted", metadata: ["range": "\(range)"])
    }
}
