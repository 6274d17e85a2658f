import TrackerEngine

/// A line of the access view.
enum ModerationItem: Equatable, Sendable {
    case blacklisted(InfoHash)
    case banned(AddressRange, until: TrackerTime)
    /// From a `--whitelist` file: edited there, not here.
    case whitelisted(InfoHash)
    /// Refused in closed mode; lifting it registers the torrent again.
    case deregistered(InfoHash, at: TrackerTime)

    /// Blacklisted torrents first (by hash), then bans ending soonest first, then deregistered
    /// torrents (the latest first), then the whitelist.
    static func items(_ state: ModerationState, whitelist: [InfoHash] = []) -> [ModerationItem] {
        state.blacklist.sorted().map { .blacklisted($0) }
            + state.bans.sorted { ($0.value, $0.key.description) < ($1.value, $1.key.description) }.map { .banned($0.key, until: $0.value) }
            + state.deregistered.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { .deregistered($0.key, at: $0.value) }
            + whitelist.map { .whitelisted($0) }
    }
}
