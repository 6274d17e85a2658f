/// Where moderation decisions persist, so they survive a restart: Redis when Redis is the store
/// (and then every node sharing it sees a change at once), else files in the data directory.
public protocol ModerationBackend: AnyObject, Sendable {
    /// Where the lists live, for the dashboard and the logs.
    var location: String { get }
    func load(now: TrackerTime) throws -> ModerationState
    func setBlacklisted(_ infoHash: InfoHash, _ listed: Bool) throws
    func ban(_ range: AddressRange, until: TrackerTime) throws
    func unban(_ range: AddressRange) throws
    /// Marks a torrent deregistered at `time`, or registered again (nil).
    func setDeregistered(_ infoHash: InfoHash, at time: TrackerTime?) throws
    /// Calls `changed` (from a background thread) whenever the lists may have changed elsewhere,
    /// until `stopWatching`.
    func watch(_ changed: @escaping @Sendable () -> Void)
    func stopWatching()
}

/// A moderation backend could not read or write its lists.
public struct ModerationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
