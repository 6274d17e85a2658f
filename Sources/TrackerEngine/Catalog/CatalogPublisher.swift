import Logging

/// Hands a catalog's changes to a registry one publication at a time: while one is under way,
/// newer catalogs wait and only the newest is published next. A failed publication (Redis away)
/// is tried again every 5 s until it goes through or a newer catalog replaces it.
public actor CatalogPublisher {
    private let registry: any CatalogRegistry
    private let logger: Logger
    private var published = SharedCatalog()
    private var waiting: SharedCatalog?
    private var running = false

    public init(registry: any CatalogRegistry, logger: Logger) {
        self.registry = registry
        self.logger = logger
    }

    public func publish(_ catalog: SharedCatalog) async {
        waiting = catalog
        guard !running else { return }  // the loop below takes it
        running = true
        defer { running = false }
        while let next = waiting {
            waiting = nil
            do {
                try await registry.publishCatalog(next, previous: published)
                published = next
            } catch {
                logger.warning("catalog not shared, retrying in 5 s", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(5))
                if waiting == nil { waiting = next }
            }
        }
    }
}
