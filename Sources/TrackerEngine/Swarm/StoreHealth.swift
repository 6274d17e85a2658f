/// Whether a store answers, and how fast: the dashboard's store meter.
public struct StoreHealth: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        /// In this process: nothing to lose touch with.
        case inProcess
        case connected
        /// Answers, but is at its memory bound: announces of new peers are refused until it drains.
        case full
        /// Cannot be reached; the store keeps retrying with backoff.
        case unreachable
    }

    public var state: State
    /// One round trip through the store, queueing included; nil when not measured.
    public var latencyMicros: Int?
    /// What the store is, e.g. `memory` or `redis unix:///…`.
    public var description: String

    public init(state: State, latencyMicros: Int?, description: String) {
        self.state = state
        self.latencyMicros = latencyMicros
        self.description = description
    }
}
