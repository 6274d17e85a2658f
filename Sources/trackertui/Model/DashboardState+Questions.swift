import TrackerEngine

/// The reducer's moderation: every action asks its y/n question first (`confirmation`), naming
/// what it acts on; the answer carries out the effect.
extension DashboardState {
    /// The torrent that `b`/`u` act on: the selected row, or the open torrent in the peers view.
    var targetTorrent: InfoHash? {
        switch screen {
        case .torrents: return selectedRow?.infoHash
        case .peers(let hash), .details(let hash): return hash
        default: return nil
        }
    }

    mutating func askToBlacklist() {
        guard let hash = targetTorrent else { return }
        if snapshot.moderation.blacklist.contains(hash) {
            message = "Already blacklisted."
            return
        }
        confirmation = PendingConfirmation(question: "Blacklist \(hash.hex.prefix(16))… and drop its swarm? (y/n)", effect: .blacklist(hash))
    }

    mutating func askToUnblacklist() {
        let hash: InfoHash?
        if screen == .moderation, case .blacklisted(let listed)? = selectedModerationItem { hash = listed } else { hash = targetTorrent }
        guard let hash else { return }
        guard snapshot.moderation.blacklist.contains(hash) else {
            message = "Not blacklisted."
            return
        }
        confirmation = PendingConfirmation(question: "Lift the blacklist on \(hash.hex.prefix(16))…? (y/n)", effect: .unblacklist(hash))
    }

    mutating func askToKick() {
        guard case .peers(let hash) = screen, let peer = selectedPeer else { return }
        confirmation = PendingConfirmation(question: "Kick \(peer.endpoint)? (y/n)", effect: .kick(peer.endpoint, from: hash))
    }

    mutating func askToBan() {
        guard case .peers(let hash) = screen, let peer = selectedPeer else { return }
        // An IPv6 client rotates inside its /64: banning one address of it would not hold.
        let address = AddressRange.banning(PeerAddress(peer.endpoint))
        confirmation = PendingConfirmation(question: "Ban \(address) for \(Format.duration(banSeconds))? (y/n)",
                                           effect: .ban(address, seconds: banSeconds, dropping: peer.endpoint, from: hash))
    }

    var selectedModerationItem: ModerationItem? {
        let items = moderationItems
        return items.indices.contains(moderationCursor.index) ? items[moderationCursor.index] : nil
    }

    /// `u` (or Delete) in the moderation view: lifts the selected blacklist entry or ban.
    mutating func askToLift() {
        guard screen == .moderation, let item = selectedModerationItem else { return askToUnblacklist() }
        switch item {
        case .blacklisted(let hash):
            confirmation = PendingConfirmation(question: "Lift the blacklist on \(hash.hex.prefix(16))…? (y/n)", effect: .unblacklist(hash))
        case .banned(let address, _):
            confirmation = PendingConfirmation(question: "Lift the ban on \(address)? (y/n)", effect: .unban(address))
        case .deregistered(let hash, _):
            confirmation = PendingConfirmation(question: "Register \(label(hash)) again (closed mode tracks it if a catalog or the whitelist has it)? (y/n)",
                                               effect: .reregister(hash))
        case .whitelisted:
            message = "The whitelist is a file (--whitelist): edit it, then send the tracker SIGHUP."
        }
    }

    /// `d`: stop tracking the torrent and keep its history in the archive.
    mutating func askToDeregister() {
        guard let hash = targetTorrent else { return }
        if snapshot.moderation.deregistered[hash] != nil, snapshot.row(hash) == nil {
            message = "Already deregistered."
            return
        }
        confirmation = PendingConfirmation(question: "Deregister \(label(hash)): drop its swarm and archive its history? (y/n)",
                                           effect: .deregister(hash))
    }

    /// A torrent in a question: its name when known (its row, or its archive record once its
    /// swarm is gone), else the start of its hash.
    func label(_ hash: InfoHash) -> String {
        (snapshot.row(hash)?.name ?? archive.first { $0.infoHash == hash }?.name).map { "\"\($0.prefix(40))\"" } ?? "\(hash.hex.prefix(16))…"
    }
}
