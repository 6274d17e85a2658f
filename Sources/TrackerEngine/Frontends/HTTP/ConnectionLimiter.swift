import Atomics

/// Counts open connections across all event loops and refuses those above `maximum`.
public final class ConnectionLimiter: Sendable {
    public let maximum: Int
    private let open = ManagedAtomic<Int>(0)

    public init(maximum: Int) {
        self.maximum = maximum
    }

    /// Takes a place; false (and nothing taken) when all are used.
    public func acquire() -> Bool {
        if open.loadThenWrappingIncrement(ordering: .relaxed) >= maximum {
            open.wrappingDecrement(ordering: .relaxed)
            return false
        }
        return true
    }

    public func release() {
        open.wrappingDecrement(ordering: .relaxed)
    }

    public var current: Int { open.load(ordering: .relaxed) }
}
