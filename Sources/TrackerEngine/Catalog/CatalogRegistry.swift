/// Where engines share what their catalogs and whitelists hold (Redis), so that attached
/// dashboards and nodes without the files know the torrents' names, and closed mode tracks the
/// same torrents on every node.
public protocol CatalogRegistry: Sendable {
    /// Publishes this engine's whole catalog and whitelist: writes what differs from `previous`
    /// (what this engine published last) and removes what it no longer has.
    func publishCatalog(_ catalog: SharedCatalog, previous: SharedCatalog) async throws

    /// The shared catalog's version, and what it holds unless the version is `known`.
    func sharedCatalog(unless known: Int64?) async throws -> (version: Int64, catalog: SharedCatalog?)
}

/// What engines share: catalog entries by each of their info-hashes, and whitelisted hashes.
public struct SharedCatalog: Sendable, Equatable {
    public var entries: [InfoHash: CatalogEntry]
    public var whitelist: Set<InfoHash>

    public init(entries: [InfoHash: CatalogEntry] = [:], whitelist: Set<InfoHash> = []) {
        self.entries = entries
        self.whitelist = whitelist
    }

    /// Every hash closed mode tracks because of it.
    public var registered: Set<InfoHash> { whitelist.union(entries.keys) }
}

/// Follows what engines share through a registry: reads it again only when its version moved,
/// and keeps the last lists read.
public final class SharedCatalogFollower: Sendable {
    private let registry: any CatalogRegistry
    private let state = Locked<(version: Int64?, catalog: SharedCatalog)>((nil, SharedCatalog()))

    public init(registry: any CatalogRegistry) {
        self.registry = registry
    }

    /// The lists as last read.
    public var latest: SharedCatalog { state.value.catalog }

    /// Looks at the registry's version; returns the lists when they changed since the last look
    /// (the first look always reads them), nil when they did not or could not be read.
    public func refresh() async -> SharedCatalog? {
        guard let read = try? await registry.sharedCatalog(unless: state.value.version) else { return nil }
        return state.update { state in
            state.version = read.version
            if let catalog = read.catalog { state.catalog = catalog }
            return read.catalog
        }
    }
}
