/// A caller's reply, given at most once: whatever a batch has not answered when it ends (a
/// broken connection, a silent server) is answered `unavailable` by `failUnanswered`, and only
/// that.
struct ReplyOnce<Value: Sendable> {
    private var reply: (@Sendable (Result<Value, StoreError>) -> Void)?

    init(_ reply: @escaping @Sendable (Result<Value, StoreError>) -> Void) {
        self.reply = reply
    }

    mutating func answer(_ result: Result<Value, StoreError>) {
        guard let reply else { return }
        self.reply = nil
        reply(result)
    }
}

/// One connection's batch of announces and scrapes between writing their commands and
/// answering them (see `RedisBatcher`): the replies come back in the order the calls were written.
struct RedisBatch {
    struct Announce {
        var request: AnnounceRequest
        var now: TrackerTime
        /// How the peer sample was asked for, and what it read.
        var plan: RedisPeerSampler.Plan
        /// The announces its script adds to the swarm's count (`RedisAnnounceCounts`).
        var counted: Int
        /// The script call's place among the batch's commands, to run it again after NOSCRIPT.
        var command: Int
        /// The peer in `RedisSteadyPeers`.
        var fingerprint: UInt64
        /// For a steady announce (an HSET, not the script): the stored bytes it wrote.
        var steady: RedisSteadyPeers.Stored?
        var scriptReply: RedisReply = .null
        var outcome: Result<AnnounceResult, StoreError> = .failure(.unavailable)
        var reply: ReplyOnce<AnnounceResult>
    }

    struct Scrape {
        var hashes: [InfoHash]
        var reply: ReplyOnce<[ScrapeEntry]>
    }

    /// Announce counts held for a quiet swarm, handed over after the calls (the `count` script).
    struct HeldCount {
        var infoHash: InfoHash
        var count: Int
        var command: Int
    }

    enum Call {
        case announce(Int)
        case scrape(Int)
    }

    /// Announces and scrapes in the order their commands were written.
    var calls: [Call] = []
    var announces: [Announce] = []
    var scrapes: [Scrape] = []
    var heldCounts: [HeldCount] = []
    /// When it was written (monotonic seconds), for callers that give up on a silent server.
    var sentAt = 0.0

    var isEmpty: Bool { calls.isEmpty && heldCounts.isEmpty }

    /// Answers every call not answered yet as unavailable.
    mutating func failUnanswered() {
        for i in announces.indices { announces[i].reply.answer(.failure(.unavailable)) }
        for i in scrapes.indices { scrapes[i].reply.answer(.failure(.unavailable)) }
    }
}
