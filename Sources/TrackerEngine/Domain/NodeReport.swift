/// One engine's counters as it reports them (to Redis, for dashboards attached from elsewhere).
public struct NodeReport: Sendable, Equatable {
    public var id: String
    public var startedAt: TrackerTime
    public var listening: [String]
    public var requests: ProtocolCounts
    /// Which torrents the engine tracks: `open` or `closed`.
    public var mode: String?

    public init(id: String, startedAt: TrackerTime, listening: [String], requests: ProtocolCounts, mode: String? = nil) {
        self.id = id
        self.startedAt = startedAt
        self.listening = listening
        self.requests = requests
        self.mode = mode
    }

    /// Field/value pairs as stored in the node's hash: the totals of both protocols (what
    /// dashboards read before UDP existed) and UDP's share of them.
    var fields: [(String, String)] {
        let total = requests.total, udp = requests.udp
        return [("started", String(startedAt.seconds)), ("listening", listening.joined(separator: " ")),
                ("announces", String(total.announces)), ("scrapes", String(total.scrapes)), ("failures", String(total.failures)),
                ("udp_announces", String(udp.announces)), ("udp_scrapes", String(udp.scrapes)), ("udp_failures", String(udp.failures))]
            + (mode.map { [("mode", $0)] } ?? [])
    }

    init?(id: String, fields: [String: String]) {
        guard let started = fields["started"].flatMap(Int64.init) else { return nil }
        func counts(_ prefix: String) -> RequestCounts {
            func count(_ name: String) -> UInt64 { fields[prefix + name].flatMap(UInt64.init) ?? 0 }
            return RequestCounts(announces: count("announces"), scrapes: count("scrapes"), failures: count("failures"))
        }
        self.init(id: id, startedAt: TrackerTime(seconds: started),
                  listening: (fields["listening"] ?? "").split(separator: " ").map(String.init),
                  requests: ProtocolCounts(total: counts(""), udp: counts("udp_")),
                  mode: fields["mode"].flatMap { ["open", "closed"].contains($0) ? $0 : nil })
    }
}
