import Atomics
import Synchronization

/// The moderation rules the hot path checks on every announce. Reads cost one relaxed atomic
/// load while nothing is blacklisted or banned (the usual case), a lock and two lookups otherwise.
public final class AccessControl: Sendable {
    private let state = Mutex(ModerationState())
    private let hasRules = ManagedAtomic(false)

    public init(_ initial: ModerationState = ModerationState()) {
        replace(with: initial)
    }

    @inline(__always)
    public func refusal(for infoHash: InfoHash, from endpoint: PeerEndpoint, now: TrackerTime) -> ClientError? {
        guard hasRules.load(ordering: .relaxed) else { return nil }
        let address = PeerAddress(endpoint)
        return state.withLock { $0.refusal(for: infoHash, from: address, now: now) }
    }

    public var current: ModerationState { state.withLock { $0 } }

    public func replace(with new: ModerationState) {
        state.withLock { current in
            current = new
            hasRules.store(!new.isEmpty, ordering: .relaxed)
        }
    }

    public func update(_ change: (inout ModerationState) -> Void) {
        state.withLock { current in
            change(&current)
            hasRules.store(!current.isEmpty, ordering: .relaxed)
        }
    }
}
