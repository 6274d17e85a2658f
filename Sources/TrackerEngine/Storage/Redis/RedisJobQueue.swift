import Foundation
import NIOCore

/// What store threads do: an announce or scrape (pipelined with the others queued), or any other
/// work that needs the connection (listing, sweeps, moderation).
enum RedisJob {
    case announce(AnnounceRequest, TrackerTime, @Sendable (Result<AnnounceResult, StoreError>) -> Void)
    case scrape([InfoHash], TrackerTime, @Sendable (Result<[ScrapeEntry], StoreError>) -> Void)
    /// Runs on a store thread with a live connection; given nil when Redis is unreachable.
    case session(@Sendable (RedisSession?) -> Void)

    var isSession: Bool {
        if case .session = self { return true }
        return false
    }

    func fail() {
        switch self {
        case .announce(_, _, let reply): reply(.failure(.unavailable))
        case .scrape(_, _, let reply): reply(.failure(.unavailable))
        case .session(let body): body(nil)
        }
    }
}

/// A bounded queue from any thread to the store threads. When it is full, a job fails at once
/// (`unavailable`): the tracker answers rather than queues without end.
///
/// `@unchecked Sendable`: `jobs` and `stopping` are only touched while `condition` is locked.
final class RedisJobQueue: @unchecked Sendable {
    let capacity: Int
    private let condition = NSCondition()
    private var jobs = CircularBuffer<RedisJob>(initialCapacity: 1024)
    private var stopping = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Queues a job; when the queue is full or stopped, the job fails at once instead.
    func push(_ job: RedisJob) {
        condition.lock()
        guard !stopping, jobs.count < capacity else {
            condition.unlock()
            job.fail()
            return
        }
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Waits for work and takes up to `max` jobs; none when `seconds` pass first; nil once
    /// stopped and drained.
    func take(max: Int, waitingAtMost seconds: Double) -> [RedisJob]? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: seconds)
        while jobs.isEmpty && !stopping {
            if !condition.wait(until: deadline) { return stopping ? nil : [] }
        }
        if jobs.isEmpty { return nil }
        var batch: [RedisJob] = []
        batch.reserveCapacity(min(max, jobs.count))
        while batch.count < max, let job = jobs.popFirst() { batch.append(job) }
        return batch
    }

    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }
}
