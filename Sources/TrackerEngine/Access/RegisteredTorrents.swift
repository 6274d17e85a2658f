/// Closed mode's torrents, from the places they are registered: this engine's catalog, the
/// catalogs other engines share (Redis), and the whitelist file. Every change restricts the
/// access control to their union.
public final class RegisteredTorrents: Sendable {
    private struct Sources {
        var catalog: Set<InfoHash> = []
        var shared: Set<InfoHash> = []
        var whitelist: Set<InfoHash> = []
    }

    private let access: AccessControl
    private let sources = Locked(Sources())

    /// Closes `access` (nothing registered yet) until the first update.
    public init(access: AccessControl) {
        self.access = access
        access.restrict(to: [])
    }

    /// How many torrents are registered, and the whitelist's hashes (local and shared).
    public var summary: (count: Int, whitelist: Set<InfoHash>) {
        sources.update { ($0.catalog.union($0.shared).union($0.whitelist).count, $0.whitelist) }
    }

    public func update(catalog: Set<InfoHash>? = nil, shared: Set<InfoHash>? = nil, whitelist: Set<InfoHash>? = nil) {
        sources.update { sources in
            if let catalog { sources.catalog = catalog }
            if let shared { sources.shared = shared }
            if let whitelist { sources.whitelist = whitelist }
            access.restrict(to: sources.catalog.union(sources.shared).union(sources.whitelist))
        }
    }
}
