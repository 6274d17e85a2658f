/// Where engines that share one store report their counters, so a dashboard attached to that
/// store shows them all (the Redis store is one; a memory store has no other engines).
public protocol NodeRegistry: Sendable {
    /// Records this engine's counters as of `now`.
    func report(_ node: NodeReport, now: TrackerTime) async throws(StoreError)
    /// Every engine that reported recently.
    func liveNodes(now: TrackerTime) async throws(StoreError) -> [NodeReport]
}
