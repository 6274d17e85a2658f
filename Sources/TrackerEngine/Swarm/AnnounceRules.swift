/// What an announce does to a swarm, whatever stores it: the memory store applies these in
/// `FamilySwarm`, the Redis store in `Lua/announce.lua` (Lua cannot call Swift: the store
/// conformance suite holds both to these rules).
///
/// - A peer is in exactly one of its swarm's two sets: seeders (`left` = 0) or leechers.
/// - `stopped` removes the peer; it gets no peers back.
/// - A new peer joins only while its client (an IPv4 address, an IPv6 /64) has fewer peers in
///   the swarm than `SwarmLimits.maxPeersPerClient`, and a new swarm only while there are fewer
///   than `SwarmLimits.maxTorrents`; a refused announce changes nothing.
/// - A completion counts once per peer: a leecher that announces `completed` as a seeder.
/// - The announcer gets up to `numwant` other peers of its own address family, drawn at random:
///   a seeder gets leechers only, a leecher gets both.
public enum AnnounceRules {
    /// Where the announcing peer was before this announce.
    public enum Place: Sendable {
        case absent, seeders, leechers
    }

    /// What one announce does to its peer.
    public struct Transition: Sendable, Equatable {
        /// The peer leaves the swarm (`stopped`).
        public var leaves: Bool
        /// A peer not in the swarm joins: the peers-per-client limit applies.
        public var joins: Bool
        /// The swarm's completed count goes up by one.
        public var countsCompletion: Bool
    }

    /// `completionCounted` (whether the peer's completion was counted before) is read only when
    /// it matters: a leecher announcing `completed` as a seeder.
    public static func transition(event: AnnounceEvent, isSeeder: Bool, was place: Place,
                                  completionCounted: @autoclosure () -> Bool) -> Transition {
        if event == .stopped { return Transition(leaves: true, joins: false, countsCompletion: false) }
        return Transition(leaves: false, joins: place == .absent,
                          countsCompletion: isSeeder && place == .leechers && event == .completed && !completionCounted())
    }

    /// Which sets an announcer's peers are drawn from.
    public static func drawsFrom(isSeeder: Bool) -> (seeders: Bool, leechers: Bool) {
        (seeders: !isSeeder, leechers: true)
    }
}
