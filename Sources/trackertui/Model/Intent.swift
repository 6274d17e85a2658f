import TrackerEngine

/// What the user (through the keymap) or the outside world (samples, finished actions) asks of
/// the dashboard. The reducer turns each into a new state and the effects to carry out.
enum Intent: Equatable, Sendable {
    case up, down, pageUp, pageDown, home, end
    case open, back
    case sortNext, sortPrevious, invertSort
    case startFilter, filterType(Character), filterErase, filterAccept, filterCancel
    case blacklist, unblacklist, kick, ban, lift, deregister
    case showModeration, showLog, showHelp, showDetails, showArchive
    case quit
    case confirm(Bool)
    case snapshot(DashboardSnapshot)
    case peersLoaded(InfoHash, [PeerDetail])
    case archiveLoaded([ArchivedTorrent])
    case logUpdated([String])
    case actionFinished(String)
    case actionFailed(String)
    case resize(rows: Int, columns: Int)
}

/// Work the dashboard's loop carries out for the reducer, off the main thread.
enum Effect: Equatable, Sendable {
    case blacklist(InfoHash)
    case unblacklist(InfoHash)
    case kick(PeerEndpoint, from: InfoHash)
    case ban(AddressRange, seconds: Int64, dropping: PeerEndpoint, from: InfoHash)
    case unban(AddressRange)
    case deregister(InfoHash)
    case reregister(InfoHash)
    case loadPeers(InfoHash)
    case loadArchive
    case quit
}

/// An action waiting for `y`.
struct PendingConfirmation: Equatable, Sendable {
    var question: String
    var effect: Effect
}

/// The dashboard's screens.
enum Screen: Equatable, Sendable {
    case torrents
    case peers(InfoHash)
    /// One torrent's catalog entry, counts and lifecycle.
    case details(InfoHash)
    case moderation
    /// Deregistered torrents, newest first.
    case archive
    case log
    case help
}
