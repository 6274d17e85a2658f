/// Request counts sampled every `step` seconds over the last hour: what the stats page's chart
/// and its per-second rates are drawn from. Bounded: the oldest sample goes when a new one comes.
public final class RequestHistory: Sendable {
    public static let step: Int64 = 10
    public static let capacity = 360

    public struct Sample: Sendable, Equatable {
        public var time: TrackerTime
        public var counts: ProtocolCounts
    }

    private let samples = Locked<[Sample]>([])

    public init() {}

    public func record(_ counts: ProtocolCounts, at time: TrackerTime) {
        samples.update { samples in
            samples.append(Sample(time: time, counts: counts))
            if samples.count > Self.capacity { samples.removeFirst(samples.count - Self.capacity) }
        }
    }

    /// Announces per second (both protocols) between each two samples, oldest first.
    public var announceRates: [Double] {
        let taken = samples.value
        return zip(taken, taken.dropFirst()).map { earlier, later in
            let seconds = Double(later.time.milliseconds - earlier.time.milliseconds) / 1000
            guard seconds > 0 else { return 0 }
            return Double(delta(earlier.counts.total.announces, later.counts.total.announces)) / seconds
        }
    }

    /// Rates per second from the newest sample to `counts` now (or between the two newest).
    public func rates(now counts: ProtocolCounts, at time: TrackerTime) -> (http: RequestRate, udp: RequestRate) {
        guard let last = samples.value.last, time.milliseconds - last.time.milliseconds >= 1000 else {
            let taken = samples.value
            guard taken.count >= 2 else { return (RequestRate(), RequestRate()) }
            return Self.rates(from: taken[taken.count - 2], to: taken[taken.count - 1])
        }
        return Self.rates(from: last, to: Sample(time: time, counts: counts))
    }

    private static func rates(from earlier: Sample, to later: Sample) -> (http: RequestRate, udp: RequestRate) {
        let seconds = Double(later.time.milliseconds - earlier.time.milliseconds) / 1000
        func rate(_ a: RequestCounts, _ b: RequestCounts) -> RequestRate {
            RequestRate(announces: Double(delta(a.announces, b.announces)) / seconds, scrapes: Double(delta(a.scrapes, b.scrapes)) / seconds,
                        failures: Double(delta(a.failures, b.failures)) / seconds)
        }
        return (rate(earlier.counts.http, later.counts.http), rate(earlier.counts.udp, later.counts.udp))
    }
}

/// Requests per second of one protocol.
public struct RequestRate: Sendable, Equatable, Codable {
    public var announces = 0.0
    public var scrapes = 0.0
    public var failures = 0.0
}

/// How much a counter grew; 0 when it went down (a node restarted, and a sum of nodes with it).
private func delta(_ earlier: UInt64, _ later: UInt64) -> UInt64 {
    later >= earlier ? later - earlier : 0
}
