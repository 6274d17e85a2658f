/// What moderators decided: blacklisted torrents, banned address ranges with their deadlines,
/// and deregistered torrents with the time they were deregistered (their history is in the
/// store's archive; closed mode refuses them).
public struct ModerationState: Sendable, Equatable {
    public var blacklist: Set<InfoHash>
    public var bans: BanList
    public var deregistered: [InfoHash: TrackerTime]

    public init(blacklist: Set<InfoHash> = [], bans: BanList = [:], deregistered: [InfoHash: TrackerTime] = [:]) {
        self.blacklist = blacklist
        self.bans = bans
        self.deregistered = deregistered
    }

    /// Whether no announce or scrape can be refused by it in open mode (deregistration refuses
    /// only in closed mode, where `AccessControl` checks it with the registered torrents).
    public var isEmpty: Bool { blacklist.isEmpty && bans.isEmpty }

    /// The refusal an announce gets, if any.
    public func refusal(for infoHash: InfoHash, from address: PeerAddress, now: TrackerTime) -> ClientError? {
        if blacklist.contains(infoHash) { return .torrentBlacklisted }
        return refusal(from: address, now: now)
    }

    /// The refusal any request from `address` gets (a ban), if any.
    public func refusal(from address: PeerAddress, now: TrackerTime) -> ClientError? {
        if let until = bans.deadline(covering: address), now < until { return .banned }
        return nil
    }

    /// The same state without bans whose deadline has passed.
    public func withoutExpiredBans(now: TrackerTime) -> ModerationState {
        ModerationState(blacklist: blacklist, bans: bans.filter { now < $1 }, deregistered: deregistered)
    }
}
