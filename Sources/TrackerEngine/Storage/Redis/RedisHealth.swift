import Atomics

/// How the store's connection to Redis is doing, for logs, stats and the dashboard.
public final class RedisHealth: Sendable {
    private let connectedThreads = ManagedAtomic<Int>(0)
    private let reconnectCount = ManagedAtomic<Int>(0)
    private let lastRoundTripMicros = ManagedAtomic<Int>(0)

    public var isConnected: Bool { connectedThreads.load(ordering: .relaxed) > 0 }
    public var reconnects: Int { reconnectCount.load(ordering: .relaxed) }
    /// The last batch's round trip, in microseconds.
    public var latencyMicros: Int { lastRoundTripMicros.load(ordering: .relaxed) }

    func connected() { connectedThreads.wrappingIncrement(ordering: .relaxed); reconnectCount.wrappingIncrement(ordering: .relaxed) }
    func disconnected() { connectedThreads.wrappingDecrement(ordering: .relaxed) }
    func roundTrip(micros: Int) { lastRoundTripMicros.store(micros, ordering: .relaxed) }
}
