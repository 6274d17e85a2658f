import Atomics

/// What happened, counted: front ends record events here (fire and forget), readers take snapshots.
public final class TrackerStats: Sendable {
    public enum Event: Int, CaseIterable, Sendable {
        case announce, announceIPv6, scrape, fullScrape, failure, badHTTPRequest, notFound, connectionRefused, acceptPaused, headTimeout

        public var label: String {
            switch self {
            case .announce: return "announces"
            case .announceIPv6: return "announces_ipv6"
            case .scrape: return "scrapes"
            case .fullScrape: return "full_scrapes"
            case .failure: return "failures"
            case .badHTTPRequest: return "bad_http_requests"
            case .notFound: return "not_found"
            case .connectionRefused: return "connections_refused"
            case .acceptPaused: return "accept_pauses"
            case .headTimeout: return "head_timeouts"
            }
        }
    }

    private let counters: [ManagedAtomic<UInt64>]
    private let failureCounters: [String: ManagedAtomic<UInt64>]
    private static let failureLabels: [String] = [
        ClientError.missingParameter(""), .invalidLength("", expected: 0, got: 0), .invalidPercentEncoding(""),
        .invalidNumber(""), .invalidPort, .invalidEvent, .duplicateParameter(""), .tooManyInfoHashes(max: 0),
        .fullScrapeDisabled, .fullScrapeRateLimited(retryAfterSeconds: 0), .storageUnavailable, .storageFull, .trackerFull, .tooManyPeersFromAddress, .torrentBlacklisted, .banned, .internalError,
    ].map(\.label)

    public init() {
        counters = Event.allCases.map { _ in ManagedAtomic(0) }
        failureCounters = Dictionary(uniqueKeysWithValues: Self.failureLabels.map { ($0, ManagedAtomic<UInt64>(0)) })
    }

    @inline(__always)
    public func record(_ event: Event) {
        counters[event.rawValue].wrappingIncrement(ordering: .relaxed)
    }

    /// Counts a refused request, by reason.
    public func record(_ failure: ClientError) {
        record(.failure)
        failureCounters[failure.label]?.wrappingIncrement(ordering: .relaxed)
    }

    public func count(_ event: Event) -> UInt64 {
        counters[event.rawValue].load(ordering: .relaxed)
    }

    public func failures(_ label: String) -> UInt64 {
        failureCounters[label]?.load(ordering: .relaxed) ?? 0
    }
}
