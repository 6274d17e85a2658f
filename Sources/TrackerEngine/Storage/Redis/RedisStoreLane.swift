/// A frontend thread's own Redis connection (see `SwarmStoreLane`). One batch is out at a time:
/// `send()` writes what queued during the frontend's round (announces with their samples,
/// scrapes) and returns at once; while Redis works, requests queue for the next batch, so the
/// busier the tracker, the bigger the batches. `receive()` runs when the replies start to arrive
/// and reads them all (each read bounded by the timeout). No store thread, lock or wake-up sits
/// between a request and Redis: on a loaded core those hand-offs cost more than Redis's own work.
///
/// While Redis is unreachable, calls fail at once with `unavailable`; reconnecting is tried at
/// most on the store threads' backoff (50 ms doubling to 2 s) and blocks the frontend for at most
/// the connect timeout, which only a server whose host drops packets ever takes (a stopped
/// server refuses at once). A batch with no reply after the timeout fails and the connection is
/// dropped (`checkStalled`).
final class RedisStoreLane: SwarmStoreLane {
    private let keeper: RedisConnectionKeeper
    private let batcher: RedisBatcher
    /// Most calls waiting for the next batch; past it, calls fail at once.
    private let capacity: Int
    private var queued: [RedisJob] = []
    private var inFlight: RedisBatch?

    init(connection: RedisConnectionKeeper.Settings, batch: RedisBatcher.Settings, capacity: Int) {
        keeper = RedisConnectionKeeper(settings: connection)
        batcher = RedisBatcher(settings: batch, monotonicSeconds: connection.monotonicSeconds)
        self.capacity = capacity
    }

    func announce(_ request: AnnounceRequest, now: TrackerTime, reply: @escaping @Sendable (Result<AnnounceResult, StoreError>) -> Void) {
        enqueue(.announce(request, now, reply))
    }

    func scrape(_ infoHashes: [InfoHash], now: TrackerTime, reply: @escaping @Sendable (Result<[ScrapeEntry], StoreError>) -> Void) {
        guard !infoHashes.isEmpty else { return reply(.success([])) }
        enqueue(.scrape(infoHashes, now, reply))
    }

    private func enqueue(_ job: RedisJob) {
        guard queued.count < capacity else { return job.fail() }
        queued.append(job)
    }

    func send() {
        // Announce counts held for idle swarms go out on their own (about once a second at most).
        if inFlight == nil, queued.isEmpty, batcher.hasHeldCounts() { sendNextBatch() }
        while inFlight == nil, !queued.isEmpty {
            sendNextBatch()
            // Redis answers a batch within a millisecond or so: waiting for it here, on this
            // socket alone, spares the frontend a round of wake-ups (new requests wait in the
            // kernel meanwhile and make the next batch bigger). A slower batch is left to the
            // frontend's poll loop.
            guard let batch = inFlight, let session = keeper.session,
                  (try? session.connection.waitUntilReadable(milliseconds: Self.replyWaitMilliseconds)) == true else { return }
            inFlight = nil
            batcher.finish(batch, with: session)
        }
    }

    /// How long `send()` waits on the socket alone before leaving the batch to the poll loop.
    static let replyWaitMilliseconds: Int32 = 5

    /// Writes the next batch (at most `batchSize` jobs, maybe none: held announce counts only), or
    /// fails the queue when Redis is unreachable.
    private func sendNextBatch() {
        let jobs = Array(queued.prefix(batcher.settings.maxCalls))
        queued.removeFirst(jobs.count)
        guard let session = keeper.live() else {
            for job in jobs + queued { job.fail() }
            queued.removeAll(keepingCapacity: true)
            return
        }
        inFlight = batcher.send(jobs, with: session)
    }

    var waitDescriptor: (fd: Int32, generation: Int)? {
        guard inFlight != nil, let fd = keeper.session?.connection.descriptor else { return nil }
        return (fd, keeper.connectionsMade)
    }

    func receive() {
        guard let batch = inFlight, let session = keeper.session else {
            // Nothing is expected: the server closed the connection (or said something unasked).
            // Closing it also takes it out of the frontend's poll set.
            keeper.drop()
            return
        }
        inFlight = nil
        batcher.finish(batch, with: session)
        send()
    }

    func checkStalled(now seconds: Double) -> Bool {
        guard var batch = inFlight else { return false }
        guard seconds - batch.sentAt > keeper.settings.timeout else { return true }
        inFlight = nil
        keeper.drop()
        batch.failUnanswered()
        send()
        return inFlight != nil
    }
}
