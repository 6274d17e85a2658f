/// Keeps one connection's session alive for its owner (a store thread or a lane): connects,
/// checks the layout and loads the scripts (`RedisSession`), and after a failure tries again
/// with backoff (50 ms doubling to 2 s) so that an unreachable Redis costs its callers nothing
/// but an immediate `unavailable`.
final class RedisConnectionKeeper {
    struct Settings {
        var endpoint: RedisEndpoint
        var keys: RedisKeys
        /// Seconds for connecting and for each reply.
        var timeout: Double
        /// The monotonic clock backoff and batches keep time by (tests step it by hand).
        var monotonicSeconds: @Sendable () -> Double = MonotonicClock.seconds
    }

    let settings: Settings
    /// The session while the connection is up.
    private(set) var session: RedisSession?
    /// Connections made so far: a new one may reuse a closed one's descriptor number.
    private(set) var connectionsMade = 0
    private var backoff = 0.05
    private var nextAttempt = 0.0

    init(settings: Settings) {
        self.settings = settings
    }

    /// The session, made again when the connection broke and an attempt is due; nil while Redis
    /// is unreachable. Connecting blocks for at most the timeout.
    func live() -> RedisSession? {
        if let session, !session.connection.isBroken { return session }
        session = nil
        let now = settings.monotonicSeconds()
        guard now >= nextAttempt else { return nil }
        do {
            let connection = try RedisConnection(settings.endpoint, timeout: settings.timeout)
            session = try RedisSession(connection: connection, keys: settings.keys)
            connectionsMade += 1
            backoff = 0.05
            return session
        } catch {
            nextAttempt = now + backoff
            backoff = min(backoff * 2, 2)
            return nil
        }
    }

    /// Drops the connection (a batch that waited too long, a server that spoke unasked); the next
    /// `live()` connects again.
    func drop() {
        session = nil
    }
}

@available(*, unavailable)
extension RedisConnectionKeeper: Sendable {}
