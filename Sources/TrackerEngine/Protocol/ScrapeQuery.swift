/// A scrape's query string: zero or more `info_hash` (BEP 48). None means a full scrape.
public struct ScrapeQuery: Sendable, Equatable {
    public var infoHashes: [InfoHash]

    public init(infoHashes: [InfoHash]) {
        self.infoHashes = infoHashes
    }

    public var isFullScrape: Bool { infoHashes.isEmpty }

    /// Parses the bytes after `?`; more than `maxHashes` info_hash is refused, repeats are answered once.
    public static func parse(_ query: UnsafeRawBufferPointer, maxHashes: Int) throws(ClientError) -> ScrapeQuery {
        var hashes: [InfoHash] = []
        var scanner = QueryScanner(query)
        while let pair = scanner.next() {
            guard query.matches(pair.name, "info_hash") else { continue }
            let hash = InfoHash(try QueryValue.bytes20(query, pair.value, name: "info_hash"))
            if hashes.contains(hash) { continue }
            if hashes.count >= maxHashes { throw .tooManyInfoHashes(max: maxHashes) }
            hashes.append(hash)
        }
        return ScrapeQuery(infoHashes: hashes)
    }

    public static func parse(_ query: some Collection<UInt8>, maxHashes: Int) throws(ClientError) -> ScrapeQuery {
        let bytes = Array(query)
        do {
            return try bytes.withUnsafeBytes { raw in try parse(raw, maxHashes: maxHashes) }
        } catch let error as ClientError {
            throw error
        } catch {
            throw .internalError
        }
    }
}
