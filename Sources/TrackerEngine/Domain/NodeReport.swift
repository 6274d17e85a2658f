/// One engine's counters as it reports them (to Redis, for dashboards attached from elsewhere).
public struct NodeReport: Sendable, Equatable {
    public var id: String
    public var startedAt: TrackerTime
    public var listening: [String]
    public var announces: UInt64
    public var scrapes: UInt64
    public var failures: UInt64

    public init(id: String, startedAt: TrackerTime, listening: [String], announces: UInt64, scrapes: UInt64, failures: UInt64) {
        self.id = id
        self.startedAt = startedAt
        self.listening = listening
        self.announces = announces
        self.scrapes = scrapes
        self.failures = failures
    }

    /// Field/value pairs as stored in the node's hash.
    var fields: [(String, String)] {
        [("started", String(startedAt.seconds)), ("listening", listening.joined(separator: " ")),
         ("announces", String(announces)), ("scrapes", String(scrapes)), ("failures", String(failures))]
    }

    init?(id: String, fields: [String: String]) {
        guard let started = fields["started"].flatMap(Int64.init) else { return nil }
        self.init(id: id, startedAt: TrackerTime(seconds: started),
                  listening: (fields["listening"] ?? "").split(separator: " ").map(String.init),
                  announces: fields["announces"].flatMap(UInt64.init) ?? 0, scrapes: fields["scrapes"].flatMap(UInt64.init) ?? 0,
                  failures: fields["failures"].flatMap(UInt64.init) ?? 0)
    }
}
