/// Allows one full scrape per client address per `interval` seconds. Remembers at most
/// `capacity` addresses; when full, it forgets those whose wait is over, and if none is,
/// refuses newcomers until some are (a flood of addresses cannot grow it without bound).
public final class FullScrapeLimiter: Sendable {
    public let interval: Int64
    public let capacity: Int
    private let lastScrape = Locked<[PeerAddress: Int64]>([:])

    public init(interval: Int64, capacity: Int = 65_536) {
        self.interval = interval
        self.capacity = capacity
    }

    /// nil when allowed now (and recorded), else the seconds to wait.
    public func check(client address: PeerAddress, now: TrackerTime) -> Int? {
        guard interval > 0 else { return nil }
        let nowSeconds = now.seconds
        return lastScrape.update { table in
            if let last = table[address], nowSeconds - last < interval {
                return Int(interval - (nowSeconds - last))
            }
            if table[address] == nil, table.count >= capacity {
                table = table.filter { nowSeconds - $0.value < interval }
                if table.count >= capacity { return Int(interval) }
            }
            table[address] = nowSeconds
            return nil
        }
    }
}
