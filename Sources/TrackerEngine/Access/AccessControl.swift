import Atomics

/// The moderation rules the hot path checks on every announce. Reads cost one relaxed atomic
/// load while nothing is blacklisted or banned (the usual case), a lock and two lookups otherwise.
public final class AccessControl: Sendable {
    private let state = Locked(ModerationState())
    private let hasRules = ManagedAtomic(false)

    public init(_ initial: ModerationState = ModerationState()) {
        replace(with: initial)
    }

    @inline(__always)
    public func refusal(for infoHash: InfoHash, from endpoint: PeerEndpoint, now: TrackerTime) -> ClientError? {
        guard hasRules.load(ordering: .relaxed) else { return nil }
        let address = PeerAddress(endpoint)
        return state.update { $0.refusal(for: infoHash, from: address, now: now) }
    }

    /// The refusal a scrape from `endpoint` gets (a ban), if any.
    @inline(__always)
    public func refusal(from endpoint: PeerEndpoint, now: TrackerTime) -> ClientError? {
        guard hasRules.load(ordering: .relaxed) else { return nil }
        let address = PeerAddress(endpoint)
        return state.update { $0.refusal(from: address, now: now) }
    }

    /// `items` without those of blacklisted torrents: what a scrape may ask for or show.
    public func withoutBlacklisted<Item>(_ items: [Item], by infoHash: (Item) -> InfoHash) -> [Item] {
        guard hasRules.load(ordering: .relaxed) else { return items }
        let blacklist = state.update { $0.blacklist }  // a copy-on-write share, not a copy
        return blacklist.isEmpty ? items : items.filter { !blacklist.contains(infoHash($0)) }
    }

    public var current: ModerationState { state.update { $0 } }

    public func replace(with new: ModerationState) {
        state.update { current in
            current = new
            hasRules.store(!new.isEmpty, ordering: .relaxed)
        }
    }

    public func update(_ change: (inout ModerationState) -> Void) {
        state.update { current in
            change(&current)
            hasRules.store(!current.isEmpty, ordering: .relaxed)
        }
    }
}
