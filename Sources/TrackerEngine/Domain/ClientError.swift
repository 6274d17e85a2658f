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
    case torrentNotRegistered
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
        case .torrentNotRegistered: return "torrent not registered with this tracker"
        case .banned: return "banned"
        case .internalError: return "internal error"
        }
    }

    /// Why a request failed, without the details: what failures are counted by. Every case of
    /// `ClientError` maps to one, so a new case cannot go uncounted.
    public enum Reason: String, CaseIterable, Sendable {
        case missingParameter = "missing_parameter"
        case invalidLength = "invalid_length"
        case invalidPercentEncoding = "invalid_percent_encoding"
        case invalidNumber = "invalid_number"
        case invalidPort = "invalid_port"
        case invalidEvent = "invalid_event"
        case duplicateParameter = "duplicate_parameter"
        case tooManyInfoHashes = "too_many_info_hashes"
        case fullScrapeDisabled = "full_scrape_disabled"
        case fullScrapeRateLimited = "full_scrape_rate_limited"
        case storageUnavailable = "storage_unavailable"
        case storageFull = "storage_full"
        case trackerFull = "tracker_full"
        case tooManyPeersFromAddress = "too_many_peers_from_address"
        case torrentBlacklisted = "torrent_blacklisted"
        case torrentNotRegistered = "torrent_not_registered"
        case banned
        case internalError = "internal_error"

        /// A short stable label (metrics, node reports).
        public var label: String { rawValue }
    }

    public var reason: Reason {
        switch self {
        case .missingParameter: return .missingParameter
        case .invalidLength: return .invalidLength
        case .invalidPercentEncoding: return .invalidPercentEncoding
        case .invalidNumber: return .invalidNumber
        case .invalidPort: return .invalidPort
        case .invalidEvent: return .invalidEvent
        case .duplicateParameter: return .duplicateParameter
        case .tooManyInfoHashes: return .tooManyInfoHashes
        case .fullScrapeDisabled: return .fullScrapeDisabled
        case .fullScrapeRateLimited: return .fullScrapeRateLimited
        case .storageUnavailable: return .storageUnavailable
        case .storageFull: return .storageFull
        case .trackerFull: return .trackerFull
        case .tooManyPeersFromAddress: return .tooManyPeersFromAddress
        case .torrentBlacklisted: return .torrentBlacklisted
        case .torrentNotRegistered: return .torrentNotRegistered
        case .banned: return .banned
        case .internalError: return .internalError
        }
    }
}
