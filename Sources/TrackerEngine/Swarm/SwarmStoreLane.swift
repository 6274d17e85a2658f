/// One frontend thread's own way to the store, made by `SwarmStore.makeLane()` and used by that
/// thread only. Calls queue in the lane during a round of the frontend's events; `send()`, at
/// the end of the round, hands them to the store as one batch. A store that answers at once
/// (memory) answers in the call; the Redis lane writes the batch on its own connection and
/// answers when the replies are in: the frontend watches `waitDescriptor` with its other sockets
/// and calls `receive()` when it is readable, so no other thread and no hand-off sits between a
/// request and Redis, and the frontend never waits for Redis to think.
///
/// `reply` is called exactly once, on the lane's thread, during `announce`/`scrape`, `send()`,
/// `receive()` or `checkStalled(now:)`.
public protocol SwarmStoreLane: AnyObject {
    func announce(_ request: AnnounceRequest, now: TrackerTime, reply: @escaping @Sendable (Result<AnnounceResult, StoreError>) -> Void)
    func scrape(_ infoHashes: [InfoHash], now: TrackerTime, reply: @escaping @Sendable (Result<[ScrapeEntry], StoreError>) -> Void)
    /// Sends what was queued since the last call, if the lane is not already waiting for a batch.
    func send()
    /// What to watch for input while a batch is out, with a number that changes whenever the
    /// descriptor is a new one (a reconnection may reuse a closed descriptor's number).
    var waitDescriptor: (fd: Int32, generation: Int)? { get }
    /// The descriptor is readable: reads the batch's replies, answers, and sends what queued meanwhile.
    func receive()
    /// Fails a batch that has waited longer than the store's timeout (the server went silent);
    /// true while a batch is still out, so that the caller keeps checking.
    @discardableResult
    func checkStalled(now seconds: Double) -> Bool
}

/// The lane of a store that needs none: calls go straight to the store.
final class DirectLane: SwarmStoreLane {
    private let store: any SwarmStore

    init(store: any SwarmStore) {
        self.store = store
    }

    func announce(_ request: AnnounceRequest, now: TrackerTime, reply: @escaping @Sendable (Result<AnnounceResult, StoreError>) -> Void) {
        store.announce(request, now: now, reply: reply)
    }

    func scrape(_ infoHashes: [InfoHash], now: TrackerTime, reply: @escaping @Sendable (Result<[ScrapeEntry], StoreError>) -> Void) {
        store.scrape(infoHashes, now: now, reply: reply)
    }

    func send() {}
    var waitDescriptor: (fd: Int32, generation: Int)? { nil }
    func receive() {}
    func checkStalled(now seconds: Double) -> Bool { false }
}
