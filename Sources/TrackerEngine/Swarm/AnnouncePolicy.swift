/// The tracker's announce rules that do not depend on the store: how many peers to hand out and
/// when to come back.
public struct AnnouncePolicy: Sendable, Equatable {
    /// Seconds between regular announces.
    public var interval: Int
    /// Seconds a client must wait at least between announces.
    public var minInterval: Int
    /// Seconds of random spread added to `interval`, so that a crowd started together does not
    /// come back together.
    public var intervalJitter: Int
    public var numwantDefault: Int
    public var numwantMax: Int

    public init(interval: Int = 1800, minInterval: Int = 300, intervalJitter: Int? = nil,
                numwantDefault: Int = 50, numwantMax: Int = 200) {
        self.interval = interval
        self.minInterval = minInterval
        self.intervalJitter = intervalJitter ?? interval / 10
        self.numwantDefault = numwantDefault
        self.numwantMax = numwantMax
    }

    /// The number of peers to return: the default when the client did not say, never above the cap.
    public func numwant(requested: Int?) -> Int {
        min(max(requested ?? numwantDefault, 0), numwantMax)
    }

    /// The interval to announce, with `randomValue` (any number) choosing the jitter.
    public func interval(randomValue: UInt64) -> Int {
        guard intervalJitter > 0 else { return interval }
        return interval + Int(randomValue % UInt64(intervalJitter + 1))
    }
}
