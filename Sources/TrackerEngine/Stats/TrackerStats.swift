import Atomics

/// What happened, counted: front ends record events here (fire and forget), readers take snapshots.
public final class TrackerStats: Sendable {
    public enum Event: Int, CaseIterable, Sendable {
        case announce, announceIPv6, scrape, fullScrape, failure, badHTTPRequest, notFound, connectionRefused, acceptPaused, headTimeout
        /// The UDP tracker's share: `announce`, `scrape` and `failure` count both protocols.
        case udpConnect, udpAnnounce, udpScrape, udpFailure, udpIgnored
        /// Datagrams lost on the tracker's side: the kernel's receive buffer was full, or a
        /// reply could not be sent (send buffer full, an address no datagram can go to).
        case udpReceiveDropped, udpSendDropped
        /// Announces and scrapes answered with a refusal (a failure reason, UDP's action 3): the
        /// rest of `announce`, `scrape`, `udpAnnounce` and `udpScrape` were answered with data.
        case announceRefused, scrapeRefused, udpAnnounceRefused, udpScrapeRefused

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
            case .udpConnect: return "udp_connects"
            case .udpAnnounce: return "udp_announces"
            case .udpScrape: return "udp_scrapes"
            case .udpFailure: return "udp_failures"
            case .udpIgnored: return "udp_ignored"
            case .udpReceiveDropped: return "udp_receive_dropped"
            case .udpSendDropped: return "udp_send_dropped"
            case .announceRefused: return "announces_refused"
            case .scrapeRefused: return "scrapes_refused"
            case .udpAnnounceRefused: return "udp_announces_refused"
            case .udpScrapeRefused: return "udp_scrapes_refused"
            }
        }
    }

    /// The store's round trips, for `/metrics` (the Redis store reports them).
    public let storeRoundTrips = RoundTripObserver()

    private let counters: [ManagedAtomic<UInt64>]
    /// One counter per `ClientError.Reason`, in `allCases` order.
    private let failureCounters: [ManagedAtomic<UInt64>]

    public init() {
        counters = Event.allCases.map { _ in ManagedAtomic(0) }
        failureCounters = ClientError.Reason.allCases.map { _ in ManagedAtomic(0) }
    }

    @inline(__always)
    public func record(_ event: Event) {
        counters[event.rawValue].wrappingIncrement(ordering: .relaxed)
    }

    public func record(_ event: Event, count: UInt64) {
        counters[event.rawValue].wrappingIncrement(by: count, ordering: .relaxed)
    }

    /// Counts a refused request, by reason.
    public func record(_ failure: ClientError) {
        record(.failure)
        failureCounters[Self.index(of: failure.reason)].wrappingIncrement(ordering: .relaxed)
    }

    public func count(_ event: Event) -> UInt64 {
        counters[event.rawValue].load(ordering: .relaxed)
    }

    /// Announces, scrapes and failures per protocol.
    public func requests() -> ProtocolCounts {
        // UDP's share first: the totals, read after, are never below it.
        let udp = RequestCounts(announces: count(.udpAnnounce), scrapes: count(.udpScrape), failures: count(.udpFailure))
        let total = RequestCounts(announces: count(.announce), scrapes: count(.scrape), failures: count(.failure))
        return ProtocolCounts(total: total, udp: udp)
    }

    public func failures(_ reason: ClientError.Reason) -> UInt64 {
        failureCounters[Self.index(of: reason)].load(ordering: .relaxed)
    }

    private static let indexes = Dictionary(uniqueKeysWithValues: ClientError.Reason.allCases.enumerated().map { ($1, $0) })

    private static func index(of reason: ClientError.Reason) -> Int {
        indexes[reason]!  // every case is in allCases
    }
}
