import Atomics

/// The rules the hot path checks on every announce: the moderation (blacklist, bans) and, in
/// closed mode, the torrents registered with the tracker and not deregistered. Reads cost one
/// relaxed atomic load while nothing is blacklisted or banned and the tracker is open (the usual
/// case), a lock and a few lookups otherwise.
public final class AccessControl: Sendable {
    private let state = Locked(ModerationState())
    private let hasRules = ManagedAtomic(false)
    /// Closed mode: the torrents registered, and those tracked (registered less the deregistered
    /// ones). Nil: open mode.
    private let registered = Locked<(all: Set<InfoHash>, tracked: Set<InfoHash>)?>(nil)
    private let isClosed = ManagedAtomic(false)

    public init(_ initial: ModerationState = ModerationState()) {
        replace(with: initial)
    }

    @inline(__always)
    public func refusal(for infoHash: InfoHash, from endpoint: PeerEndpoint, now: TrackerTime) -> ClientError? {
        if hasRules.load(ordering: .relaxed) {
            let address = PeerAddress(endpoint)
            if let refusal = state.update({ $0.refusal(for: infoHash, from: address, now: now) }) { return refusal }
        }
        if isClosed.load(ordering: .relaxed), !isRegistered(infoHash) { return .torrentNotRegistered }
        return nil
    }

    /// Closed mode: only `infoHashes` are tracked from now on (announces for others are refused,
    /// scrapes leave them out). Nil opens the tracker to any torrent again.
    public func restrict(to infoHashes: Set<InfoHash>?) {
        // Locks are always taken in this order (state, then registered) and nested only here and in `update`.
        state.update { moderation in
            registered.update { current in
                current = infoHashes.map { ($0, Self.tracked($0, deregistered: moderation.deregistered)) }
                isClosed.store(infoHashes != nil, ordering: .relaxed)
            }
        }
    }

    private static func tracked(_ registered: Set<InfoHash>, deregistered: [InfoHash: TrackerTime]) -> Set<InfoHash> {
        deregistered.isEmpty ? registered : registered.filter { deregistered[$0] == nil }
    }

    /// Whether `infoHash` may be tracked as far as closed mode goes (always, when open).
    private func isRegistered(_ infoHash: InfoHash) -> Bool {
        registered.update { $0?.tracked.contains(infoHash) ?? true }
    }

    /// The refusal a scrape from `endpoint` gets (a ban), if any.
    @inline(__always)
    public func refusal(from endpoint: PeerEndpoint, now: TrackerTime) -> ClientError? {
        guard hasRules.load(ordering: .relaxed) else { return nil }
        let address = PeerAddress(endpoint)
        return state.update { $0.refusal(from: address, now: now) }
    }

    /// `items` without those of blacklisted torrents and, in closed mode, of unregistered ones:
    /// what a scrape may ask for or show.
    public func withoutRefused<Item>(_ items: [Item], by infoHash: (Item) -> InfoHash) -> [Item] {
        var kept = items
        if hasRules.load(ordering: .relaxed) {
            let blacklist = state.update { $0.blacklist }  // a copy-on-write share, not a copy
            if !blacklist.isEmpty { kept = kept.filter { !blacklist.contains(infoHash($0)) } }
        }
        if isClosed.load(ordering: .relaxed), let registered = registered.value {
            kept = kept.filter { registered.tracked.contains(infoHash($0)) }
        }
        return kept
    }

    public var current: ModerationState { state.update { $0 } }

    public func replace(with new: ModerationState) {
        update { $0 = new }
    }

    public func update(_ change: (inout ModerationState) -> Void) {
        state.update { current in
            let before = current.deregistered
            change(&current)
            hasRules.store(!current.isEmpty, ordering: .relaxed)
            guard before != current.deregistered else { return }
            let after = current.deregistered
            registered.update { closed in
                if let all = closed?.all { closed = (all, Self.tracked(all, deregistered: after)) }
            }
        }
    }
}
