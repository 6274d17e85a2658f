/// One .torrent file the catalog read.
public struct CatalogEntry: Sendable, Equatable {
    public var metainfo: TorrentMetainfo
    /// The file it came from.
    public var path: String
    /// When a catalog first held it (this engine's, or with Redis the first engine's).
    public var registered: TrackerTime?

    public init(metainfo: TorrentMetainfo, path: String, registered: TrackerTime? = nil) {
        self.metainfo = metainfo
        self.path = path
        self.registered = registered
    }
}

/// The torrents the tracker knows by their .torrent files, by each of their info-hashes (a
/// hybrid torrent is found under both). Replaced whole when the files change; read by the
/// dashboard and by closed mode's list of registered torrents.
public final class TorrentCatalog: Sendable {
    /// The entries, and how many times they were replaced: readers that keep copies (the
    /// dashboard's rows) see by the generation when to refresh them.
    private let state = Locked<(generation: Int, entries: [InfoHash: CatalogEntry])>((0, [:]))

    public init() {}

    public func entry(for infoHash: InfoHash) -> CatalogEntry? {
        state.update { $0.entries[infoHash] }
    }

    /// Every entry by info-hash (a copy-on-write share).
    public var all: [InfoHash: CatalogEntry] { state.value.entries }

    /// The entries with their generation, read together.
    public var current: (generation: Int, entries: [InfoHash: CatalogEntry]) { state.value }

    public var infoHashes: Set<InfoHash> { Set(state.value.entries.keys) }

    /// Puts `files` in place of what the catalog held. Two files with one info-hash: the first
    /// path in sorted order wins, so a reload gives the same result. A torrent the catalog held
    /// already keeps its registration time; a new one without a time is registered `now`.
    public func replace(with files: [CatalogEntry], now: TrackerTime = SystemClock().now()) {
        state.update { state in
            var next: [InfoHash: CatalogEntry] = [:]
            for var file in files.sorted(by: { $0.path < $1.path }) {
                let hashes = file.metainfo.infoHashes
                let known = hashes.compactMap { state.entries[$0]?.registered }.min()
                file.registered = [known, file.registered].compactMap { $0 }.min() ?? now
                for hash in hashes where next[hash] == nil { next[hash] = file }
            }
            state = (state.generation + 1, next)
        }
    }
}
