/// One store thread's loop: takes whatever jobs are queued (`RedisJobQueue`), writes their
/// announces and scrapes as one batch on its own connection and answers them, then runs the
/// session jobs (listings, sweeps, moderation) one at a time. While Redis is unreachable, jobs
/// fail at once and the keeper tries again with backoff.
final class RedisStoreThread {
    private let queue: RedisJobQueue
    private let keeper: RedisConnectionKeeper
    private let batcher: RedisBatcher

    init(queue: RedisJobQueue, connection: RedisConnectionKeeper.Settings, batch: RedisBatcher.Settings) {
        self.queue = queue
        keeper = RedisConnectionKeeper(settings: connection)
        batcher = RedisBatcher(settings: batch, monotonicSeconds: connection.monotonicSeconds)
    }

    func run() {
        // Waking at least once a second hands over announce counts held for quiet swarms.
        while let jobs = queue.take(max: batcher.settings.maxCalls, waitingAtMost: 1) {
            if jobs.isEmpty, !batcher.hasHeldCounts() { continue }
            guard let session = keeper.live() else {
                jobs.forEach { $0.fail() }
                continue
            }
            if let batch = batcher.send(jobs, with: session) { batcher.finish(batch, with: session) }
            for job in jobs {
                guard case .session(let body) = job else { continue }
                body(keeper.live())
            }
        }
    }
}

@available(*, unavailable)
extension RedisStoreThread: Sendable {}
