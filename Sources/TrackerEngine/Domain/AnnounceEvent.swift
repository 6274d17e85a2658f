/// The `event` of an announce (BEP 3). `paused` (BEP 21, sent by libtorrent) counts as a regular update.
public enum AnnounceEvent: UInt8, Sendable, CaseIterable {
    case none = 0
    case started = 1
    case completed = 2
    case stopped = 3
    case paused = 4

    public var name: String {
        switch self {
        case .none: return "update"
        case .started: return "started"
        case .completed: return "completed"
        case .stopped: return "stopped"
        case .paused: return "paused"
        }
    }
}
