/// Where engines share what their catalogs hold (Redis), so that attached dashboards and nodes
/// without the files know the torrents' names.
public protocol CatalogRegistry: Sendable {
    /// Publishes `entries`, this engine's whole catalog: writes those that differ from
    /// `previous` (what this engine published last) and removes those it no longer has.
    func publishCatalog(_ entries: [InfoHash: CatalogEntry], previous: [InfoHash: CatalogEntry]) async throws

    /// The shared catalog's version, and its entries unless the version is `known`.
    func sharedCatalog(unless known: Int64?) async throws -> (version: Int64, entries: [InfoHash: CatalogEntry]?)
}
