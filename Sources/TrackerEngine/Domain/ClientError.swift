/// Errors that are safe to tell a client: each becomes a bencoded `failure reason`.
/// Anything else that goes wrong is reported as `internal error` and logged instead.
public enum ClientError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingParameter(String)
    case invalidLength(String, expected: Int, got: Int)
    case invalidPercentEncoding(String)
    case invalidNumber(String)
    case invalidPort
    case invalidEvent
    case duplicateParameter(String)
    case tooManyInfoHashes(max: Int)
    case fullScrapeDisabled
    case fullScrapeRateLimited(retryAfterSeconds: Int)
    case storageUnavailable
    case storageFull
    case trackerFull
    case tooManyPeersFromAddress
    case torrentBlacklisted
    case banned
    case internalError

    public var description: String {
        switch self {
        case .missingParameter(let name): return "missing \(name)"
        case let .invalidLength(name, expected, got): return "invalid \(name): expected \(expected) bytes, got \(got)"
        case .invalidPercentEncoding(let name): return "invalid percent-encoding in \(name)"
        case .invalidNumber(let name): return "invalid \(name): not a non-negative integer"
        case .invalidPort: return "invalid port: must be 1-65535"
        case .invalidEvent: return "invalid event: expected started, completed, stopped, paused or empty"
        case .duplicateParameter(let name): return "more than one \(name) in an announce"
        case .tooManyInfoHashes(let max): return "too many info_hash: at most \(max) per scrape"
        case .fullScrapeDisabled: return "full scrape is disabled on this tracker"
        case .fullScrapeRateLimited(let seconds): return "full scrape rate limited, retry in \(seconds) seconds"
        case .storageUnavailable: return "tracker storage unavailable, retry later"
        case .storageFull: return "tracker storage full, retry later"
        case .trackerFull: return "tracker is full"
        case .tooManyPeersFromAddress: return "too many peers from your address"
        case .torrentBlacklisted: return "torrent is blacklisted"
        case .banned: return "banned"
        case .internalError: return "internal error"
        }
    }

    /// A short stable label for counting failures by reason.
    public var label: String {
        switch self {
        case .missingParameter: return "missing_parameter"
        case .invalidLength: return "invalid_length"
        case .invalidPercentEncoding: return "invalid_percent_encoding"
        case .invalidNumber: return "invalid_number"
        case .invalidPort: return "invalid_port"
        case .invalidEvent: return "invalid_event"
        case .duplicateParameter: return "duplicate_parameter"
        case .tooManyInfoHashes: return "too_many_info_hashes"
        case .fullScrapeDisabled: return "full_scrape_disabled"
        case .fullScrapeRateLimited: return "full_scrape_rate_limited"
        case .storageUnavailable: return "storage_unavailable"
        case .storageFull: return "storage_full"
        case .trackerFull: return "tracker_full"
        case .tooManyPeersFromAddress: return "too_many_peers_from_address"
        case .torrentBlacklisted: return "torrent_blacklisted"
        case .banned: return "banned"
        case .internalError: return "internal_error"
        }
    }
}
