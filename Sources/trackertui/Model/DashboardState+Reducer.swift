import TrackerEngine

extension DashboardState {
    /// The reducer: applies one intent and returns what the loop must do.
    mutating func apply(_ intent: Intent) -> [Effect] {
        if let pending = confirmation {
            guard case .confirm(let yes) = intent else {
                // Outside news still arrives while a question waits; keys other than y/n are ignored.
                return intent.isNews ? applyNews(intent) : []
            }
            confirmation = nil
            message = yes ? nil : "Cancelled."
            return yes ? [pending.effect] : []
        }
        if intent.isNews { return applyNews(intent) }
        if editingFilter { return applyFilterEdit(intent) }
        message = nil
        switch intent {
        case .up: move(by: -1)
        case .down: move(by: 1)
        case .pageUp: move(by: -page)
        case .pageDown: move(by: page)
        case .home: move(by: Int.min / 2)
        case .end: move(by: Int.max / 2)
        case .open: return open()
        case .back: back()
        case .sortNext: setSort(SortColumn(rawValue: (sort.rawValue + 1) % SortColumn.allCases.count)!)
        case .sortPrevious: setSort(SortColumn(rawValue: (sort.rawValue + SortColumn.allCases.count - 1) % SortColumn.allCases.count)!)
        case .invertSort:
            descending.toggle()
            rebuildRows()
        case .startFilter:
            guard screen == .torrents else { return [] }
            editingFilter = true
        case .blacklist: askToBlacklist()
        case .unblacklist: askToUnblacklist()
        case .kick: askToKick()
        case .ban: askToBan()
        case .lift: askToLift()
        case .deregister: askToDeregister()
        case .showModeration: show(.moderation)
        case .showLog: show(.log)
        case .showHelp: show(.help)
        case .showDetails: return showDetails()
        case .showArchive:
            show(.archive)
            if screen == .archive { return [.loadArchive] }
        case .quit:
            if quitStopsEngine {
                confirmation = PendingConfirmation(question: "Quit and stop the tracker? (y/n)", effect: .quit)
            } else {
                finished = true
                return [.quit]
            }
        case .filterType, .filterErase, .filterAccept, .filterCancel, .confirm:
            break
        case .snapshot, .peersLoaded, .archiveLoaded, .logUpdated, .actionFinished, .actionFailed, .resize:
            break  // news, handled above
        }
        return []
    }

    private mutating func applyNews(_ intent: Intent) -> [Effect] {
        switch intent {
        case .snapshot(let snapshot):
            self.snapshot = snapshot
            rebuildRows()
            moderationCursor.clamp(count: moderationItems.count, page: page)
            if case .peers(let hash) = screen { return [.loadPeers(hash)] }
            if case .details(let hash) = screen { return [.loadPeers(hash)] }
            if screen == .archive { return [.loadArchive] }
        case let .peersLoaded(hash, peers):
            switch screen {
            case .peers(hash), .details(hash): break
            default: return []
            }
            let selectedEndpoint = selectedPeer?.endpoint
            self.peers = peers.sorted { ($0.isSeeder ? 0 : 1, $1.lastSeen, $0.endpoint.description) < ($1.isSeeder ? 0 : 1, $0.lastSeen, $1.endpoint.description) }
            if let selectedEndpoint, let index = self.peers.firstIndex(where: { $0.endpoint == selectedEndpoint }) { peerCursor.index = index }
            peerCursor.clamp(count: self.peers.count, page: page)
        case .archiveLoaded(let records):
            archive = records
            archiveCursor.clamp(count: archive.count, page: page)
        case .logUpdated(let lines):
            let following = logCursor.index >= log.count - 1
            log = lines
            if following { logCursor.index = log.count - 1 }
            logCursor.clamp(count: log.count, page: page)
        case .actionFinished(let text):
            message = text
        case .actionFailed(let text):
            message = "Failed: " + text
        case let .resize(rows, columns):
            terminalRows = rows
            terminalColumns = columns
            torrentCursor.clamp(count: self.rows.count, page: page)
            peerCursor.clamp(count: peers.count, page: page)
            moderationCursor.clamp(count: moderationItems.count, page: page)
            archiveCursor.clamp(count: archive.count, page: page)
            logCursor.clamp(count: log.count, page: page)
        default:
            break
        }
        return []
    }

    private mutating func applyFilterEdit(_ intent: Intent) -> [Effect] {
        switch intent {
        case .filterType(let character):
            guard filter.count < 64 else { return [] }
            filter.append(character)
        case .filterErase:
            if !filter.isEmpty { filter.removeLast() }
        case .filterAccept:
            editingFilter = false
        case .filterCancel:
            editingFilter = false
            filter = ""
        default:
            return []
        }
        rebuildRows()
        return []
    }

    private mutating func move(by delta: Int) {
        switch screen {
        case .torrents:
            torrentCursor.move(by: delta, count: rows.count, page: page)
            selected = selectedRow?.infoHash
        case .peers: peerCursor.move(by: delta, count: peers.count, page: page)
        case .moderation: moderationCursor.move(by: delta, count: moderationItems.count, page: page)
        case .archive: archiveCursor.move(by: delta, count: archive.count, page: page)
        case .log: logCursor.move(by: delta, count: log.count, page: page)
        case .help, .details: break
        }
    }

    /// Enter: the selected torrent's peers (from the table or its details).
    private mutating func open() -> [Effect] {
        let hash: InfoHash
        switch screen {
        case .torrents:
            guard let row = selectedRow else { return [] }
            hash = row.infoHash
        case .details(let shown): hash = shown
        default: return []
        }
        screen = .peers(hash)
        peers = []
        peerCursor = ListCursor()
        return [.loadPeers(hash)]
    }

    /// `i`: the details of the selected torrent, or of the one whose peers are shown (its peers
    /// are loaded for the per-rack counts).
    private mutating func showDetails() -> [Effect] {
        let hash: InfoHash
        switch screen {
        case .torrents:
            guard let row = selectedRow else { return [] }
            hash = row.infoHash
        case .peers(let shown):
            hash = shown
        default:
            return []
        }
        screen = .details(hash)
        peers = []
        return [.loadPeers(hash)]
    }

    private mutating func back() {
        switch screen {
        case .torrents:
            if !filter.isEmpty {
                filter = ""
                rebuildRows()
            }
        case .peers, .details:
            screen = .torrents
            peers = []
        case .moderation, .archive, .log, .help:
            screen = returnTo
        }
    }

    private mutating func show(_ target: Screen) {
        if screen == target { return back() }
        switch screen {
        case .torrents, .peers, .details: returnTo = screen
        case .moderation, .archive, .log, .help: break
        }
        screen = target
    }

    private mutating func setSort(_ column: SortColumn) {
        sort = column
        descending = column.defaultDescending
        rebuildRows()
        message = "Sorted by \(column.title.lowercased())" + (descending ? ", largest first." : ".")
    }
}

extension Intent {
    /// Intents from the outside world rather than from keys.
    var isNews: Bool {
        switch self {
        case .snapshot, .peersLoaded, .archiveLoaded, .logUpdated, .actionFinished, .actionFailed, .resize: return true
        default: return false
        }
    }
}
