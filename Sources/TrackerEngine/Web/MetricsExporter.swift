import Prometheus

/// `/metrics`: this engine's counters and the store's totals in Prometheus's text format,
/// through swift-prometheus. The hot path counts in `TrackerStats` (relaxed atomics, no
/// registry lookups); at each scrape the counters here are raised by what `TrackerStats` gained
/// since the last, so they stay monotonic and cost announces nothing.
final class MetricsExporter: Sendable {
    private let registry: PrometheusCollectorRegistry
    /// Counters fed from `TrackerStats`, with what they were last raised to.
    private let fed = Locked<[String: UInt64]>([:])
    private let counters: [(key: String, counter: Counter, read: @Sendable (TrackerStats) -> UInt64)]
    private let torrents, seeders, leechers, completed, nodes, storeUp, startTime, connections: Gauge

    init(startedAt: TrackerTime, version: String, roundTrips: RoundTripObserver) {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        /// `trackertui_<name>[_<unit>]`.
        func named(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "trackertui", metricName: name, unitName: unit, helpText: help)
        }
        var counters: [(key: String, counter: Counter, read: @Sendable (TrackerStats) -> UInt64)] = []
        func counter(_ name: String, _ labels: [(String, String)], _ help: String, _ read: @escaping @Sendable (TrackerStats) -> UInt64) {
            let key = name + labels.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
            counters.append((key, registry.makeCounter(descriptor: named(name, "total", help), labels: labels), read))
        }
        // By result: answered with data ("ok") or refused (a failure reason, UDP's action 3).
        // The refusal is counted after the request, so it is read first.
        func byResult(_ name: String, _ help: String, protocol: String, refused: TrackerStats.Event,
                      all: @escaping @Sendable (TrackerStats) -> UInt64) {
            counter(name, [("protocol", `protocol`), ("result", "refused")], help) { $0.count(refused) }
            counter(name, [("protocol", `protocol`), ("result", "ok")], help) { stats in
                let refusals = stats.count(refused), answered = all(stats)
                return answered > refusals ? answered - refusals : 0
            }
        }
        let announces = "Announces answered, by result.", scrapes = "Scrapes answered (a full scrape counts apart), by result."
        byResult("announces", announces, protocol: "http", refused: .announceRefused) { $0.requests().http.announces }
        byResult("announces", announces, protocol: "udp", refused: .udpAnnounceRefused) { $0.requests().udp.announces }
        byResult("scrapes", scrapes, protocol: "http", refused: .scrapeRefused) { $0.requests().http.scrapes }
        byResult("scrapes", scrapes, protocol: "udp", refused: .udpScrapeRefused) { $0.requests().udp.scrapes }
        counter("full_scrapes", [], "Full scrapes answered.") { $0.count(.fullScrape) }
        for reason in ClientError.Reason.allCases {
            counter("failures", [("reason", reason.label)], "Requests refused, by reason.") { $0.failures(reason) }
        }
        counter("bad_http_requests", [], "HTTP requests that did not parse.") { $0.count(.badHTTPRequest) }
        counter("connections_refused", [], "Connections closed at once: over a limit.") { $0.count(.connectionRefused) }
        counter("head_timeouts", [], "Connections closed for a request head that took too long.") { $0.count(.headTimeout) }
        counter("udp_connects", [], "UDP connect requests answered.") { $0.count(.udpConnect) }
        counter("udp_ignored", [], "UDP datagrams answered with silence.") { $0.count(.udpIgnored) }
        counter("udp_dropped", [("direction", "receive")], "UDP datagrams lost on the tracker's side.") { $0.count(.udpReceiveDropped) }
        counter("udp_dropped", [("direction", "send")], "UDP datagrams lost on the tracker's side.") { $0.count(.udpSendDropped) }
        self.counters = counters
        torrents = registry.makeGauge(descriptor: named("torrents", "", "Torrents with a swarm in the store."))
        let peers = named("peers", "", "Peers in the store's swarms.")
        seeders = registry.makeGauge(descriptor: peers, labels: [("role", "seeder")])
        leechers = registry.makeGauge(descriptor: peers, labels: [("role", "leecher")])
        completed = registry.makeGauge(descriptor: named("completed", "", "Completed downloads the store's torrents counted."))
        nodes = registry.makeGauge(descriptor: named("nodes", "", "Engines reporting to the store."))
        storeUp = registry.makeGauge(descriptor: named("store_up", "", "1 when the store answers, 0 when it does not or is full."))
        connections = registry.makeGauge(descriptor: named("http_connections", "", "Open HTTP connections of this engine."))
        startTime = registry.makeGauge(descriptor: named("start_time", "seconds", "When this engine started, unix seconds."))
        let roundTripHistogram = registry.makeDurationHistogram(
            descriptor: named("store_round_trip", "seconds", "Round trips to the store: each batch of requests from its write to its last reply (Redis)."),
            buckets: [100, 250, 500, 1000, 2500, 5000, 10_000, 25_000, 50_000, 100_000, 250_000, 1_000_000].map { .microseconds($0) })
        roundTrips.watch { seconds in roundTripHistogram.recordNanoseconds(Int64(max(0, seconds) * 1e9)) }
        registry.makeGauge(descriptor: named("build_info", "", "The running build."), labels: [("version", version)]).set(to: 1)
        startTime.set(to: Double(startedAt.seconds))
    }

    func render(stats: TrackerStats, listed: Listed, health: StoreHealth, nodes count: Int, connections open: Int) -> [UInt8] {
        fed.update { fed in
            for (key, counter, read) in counters {
                let now = read(stats), before = fed[key] ?? 0
                if now > before { counter.increment(by: Int64(clamping: now - before)) }
                fed[key] = max(now, before)
            }
        }
        torrents.set(to: Double(listed.torrents.count))
        seeders.set(to: Double(listed.seeders))
        leechers.set(to: Double(listed.leechers))
        completed.set(to: Double(listed.completed))
        nodes.set(to: Double(count))
        connections.set(to: Double(open))
        storeUp.set(to: health.state == .connected || health.state == .inProcess ? 1 : 0)
        return registry.emitToBuffer()
    }
}
