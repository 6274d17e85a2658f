import TrackerEngine

/// A store shown with no engine around it: the counters are whatever the caller sets
/// (the dashboard benchmark, the sampler's tests).
struct StoreOnlySource: DashboardSource {
    let store: any SwarmStore
    let moderator: Moderator
    let clock: any TrackerClock
    var catalog: TorrentCatalog? = nil
    var racks = Racks()
    let announces = Locked<UInt64>(0)

    func engines() async -> EngineCounters {
        EngineCounters(nodes: 1, startedAt: nil, listening: [], requests: ProtocolCounts(http: RequestCounts(announces: announces.value)))
    }
}
