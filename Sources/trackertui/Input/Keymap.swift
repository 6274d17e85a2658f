/// Which key does what, as tables (htop's way): one per screen, plus the two text modes
/// (typing a filter, answering a question). `help` lists these same tables, so the help screen
/// cannot drift from the keys.
enum Keymap {
    struct Binding {
        var keys: [Key]
        var intent: Intent
        var help: String
    }

    static let anywhere: [Binding] = [
        Binding(keys: [.up], intent: .up, help: "move up"),
        Binding(keys: [.down], intent: .down, help: "move down"),
        Binding(keys: [.pageUp], intent: .pageUp, help: "page up"),
        Binding(keys: [.pageDown], intent: .pageDown, help: "page down"),
        Binding(keys: [.home, .character("g")], intent: .home, help: "first row"),
        Binding(keys: [.end, .character("G")], intent: .end, help: "last row"),
        Binding(keys: [.escape, .left], intent: .back, help: "back / clear the filter"),
        Binding(keys: [.character("B"), .function(5)], intent: .showModeration, help: "access: mode and lists, bans"),
        Binding(keys: [.character("A")], intent: .showArchive, help: "archive of deregistered torrents"),
        Binding(keys: [.character("l"), .function(6)], intent: .showLog, help: "log of recent events"),
        Binding(keys: [.character("?"), .character("h"), .function(1)], intent: .showHelp, help: "this help"),
        Binding(keys: [.character("q"), .function(10)], intent: .quit, help: "quit (asks when it stops the tracker)"),
    ]

    static let torrents: [Binding] = [
        Binding(keys: [.character("k")], intent: .up, help: "move up"),
        Binding(keys: [.character("j")], intent: .down, help: "move down"),
        Binding(keys: [.enter, .right], intent: .open, help: "the torrent's peers"),
        Binding(keys: [.character("i")], intent: .showDetails, help: "the torrent's details: file, size, dates"),
        Binding(keys: [.character("/"), .function(3)], intent: .startFilter, help: "filter by name or info-hash prefix"),
        Binding(keys: [.character("s"), .character(">"), .function(4)], intent: .sortNext, help: "sort by the next column"),
        Binding(keys: [.character("<")], intent: .sortPrevious, help: "sort by the previous column"),
        Binding(keys: [.character("I")], intent: .invertSort, help: "invert the sort order"),
        Binding(keys: [.character("b")], intent: .blacklist, help: "blacklist the torrent (purges its swarm)"),
        Binding(keys: [.character("u")], intent: .unblacklist, help: "lift the torrent's blacklist"),
        Binding(keys: [.character("d")], intent: .deregister, help: "deregister (archives its history)"),
    ]

    static let peers: [Binding] = [
        Binding(keys: [.character("j")], intent: .down, help: "move down"),
        Binding(keys: [.character("k")], intent: .kick, help: "kick the peer (it may come back)"),
        Binding(keys: [.character("K")], intent: .ban, help: "ban the peer's address for a while"),
        Binding(keys: [.character("b")], intent: .blacklist, help: "blacklist this torrent"),
        Binding(keys: [.character("u")], intent: .unblacklist, help: "lift this torrent's blacklist"),
        Binding(keys: [.character("i")], intent: .showDetails, help: "this torrent's details"),
    ]

    static let details: [Binding] = [
        Binding(keys: [.enter, .right], intent: .open, help: "this torrent's peers"),
        Binding(keys: [.character("b")], intent: .blacklist, help: "blacklist this torrent"),
        Binding(keys: [.character("u")], intent: .unblacklist, help: "lift this torrent's blacklist"),
        Binding(keys: [.character("d")], intent: .deregister, help: "deregister this torrent"),
    ]

    static let moderation: [Binding] = [
        Binding(keys: [.character("k")], intent: .up, help: "move up"),
        Binding(keys: [.character("j")], intent: .down, help: "move down"),
        Binding(keys: [.character("u"), .delete], intent: .lift, help: "lift the selected entry"),
    ]

    static let scrolling: [Binding] = [
        Binding(keys: [.character("k")], intent: .up, help: "scroll up"),
        Binding(keys: [.character("j")], intent: .down, help: "scroll down"),
    ]

    static func bindings(for screen: Screen) -> [Binding] {
        switch screen {
        case .torrents: return torrents
        case .peers: return peers
        case .details: return details
        case .moderation: return moderation
        case .archive, .log, .help: return scrolling
        }
    }

    /// The intent of `key` in `state`, or nil when the key means nothing there.
    static func intent(for key: Key, in state: DashboardState) -> Intent? {
        if key == .resize { return nil }  // the loop measures the new size itself
        if state.confirmation != nil {
            return .confirm(key == .character("y") || key == .character("Y"))
        }
        if state.editingFilter {
            switch key {
            case .enter: return .filterAccept
            case .escape: return .filterCancel
            case .backspace, .delete: return .filterErase
            case .character(let c) where !c.isNewline && c.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }): return .filterType(c)
            default: return nil
            }
        }
        if state.screen == .help { return .back }  // any key leaves the help
        for binding in bindings(for: state.screen) + anywhere where binding.keys.contains(key) {
            return binding.intent
        }
        return nil
    }
}
