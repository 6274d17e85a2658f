/// Requests an engine answered over one protocol since it started.
public struct RequestCounts: Sendable, Equatable {
    public var announces: UInt64
    public var scrapes: UInt64
    /// Requests refused with a failure reason (HTTP) or an error packet (UDP).
    public var failures: UInt64

    public init(announces: UInt64 = 0, scrapes: UInt64 = 0, failures: UInt64 = 0) {
        self.announces = announces
        self.scrapes = scrapes
        self.failures = failures
    }

    /// Counters wrap (`&+`) rather than trap: they come from other nodes too.
    public static func + (a: RequestCounts, b: RequestCounts) -> RequestCounts {
        RequestCounts(announces: a.announces &+ b.announces, scrapes: a.scrapes &+ b.scrapes, failures: a.failures &+ b.failures)
    }

    /// What `self` holds beyond `part` (never below zero: the two may be read a moment apart).
    func excluding(_ part: RequestCounts) -> RequestCounts {
        func rest(_ a: UInt64, _ b: UInt64) -> UInt64 { a >= b ? a - b : 0 }
        return RequestCounts(announces: rest(announces, part.announces), scrapes: rest(scrapes, part.scrapes),
                             failures: rest(failures, part.failures))
    }
}

/// Requests counted per protocol.
public struct ProtocolCounts: Sendable, Equatable {
    public var http: RequestCounts
    public var udp: RequestCounts

    public init(http: RequestCounts = RequestCounts(), udp: RequestCounts = RequestCounts()) {
        self.http = http
        self.udp = udp
    }

    /// Both protocols together.
    public var total: RequestCounts { http + udp }

    /// The counts split from totals that include UDP's share.
    init(total: RequestCounts, udp: RequestCounts) {
        self.init(http: total.excluding(udp), udp: udp)
    }

    public static func + (a: ProtocolCounts, b: ProtocolCounts) -> ProtocolCounts {
        ProtocolCounts(http: a.http + b.http, udp: a.udp + b.udp)
    }
}
