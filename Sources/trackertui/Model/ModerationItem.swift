import TrackerEngine

/// A line of the blacklist-and-bans view.
enum ModerationItem: Equatable, Sendable {
    case blacklisted(InfoHash)
    case banned(AddressRange, until: TrackerTime)

    /// Blacklisted torrents first (by hash), then bans ending soonest first.
    static func items(_ state: ModerationState) -> [ModerationItem] {
        state.blacklist.sorted().map { .blacklisted($0) }
            + state.bans.sorted { ($0.value, $0.key.description) < ($1.value, $1.key.description) }.map { .banned($0.key, until: $0.value) }
    }
}
