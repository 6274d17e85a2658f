import Testing
@testable import trackertui

/// Which key means what, screen by screen.
@Suite("Dashboard keymap")
struct KeymapTests {
    @Test("j/k move in the torrents table; in the peers view k kicks and K bans")
    func screensDiffer() {
        var state = Fixtures.state()
        #expect(Keymap.intent(for: .character("k"), in: state) == .up)
        #expect(Keymap.intent(for: .character("j"), in: state) == .down)
        #expect(Keymap.intent(for: .enter, in: state) == .open)
        #expect(Keymap.intent(for: .character("b"), in: state) == .blacklist)
        #expect(Keymap.intent(for: .function(10), in: state) == .quit)
        _ = state.apply(.open)
        #expect(Keymap.intent(for: .character("k"), in: state) == .kick)
        #expect(Keymap.intent(for: .character("K"), in: state) == .ban)
        #expect(Keymap.intent(for: .up, in: state) == .up)
        #expect(Keymap.intent(for: .escape, in: state) == .back)
    }

    @Test("while typing a filter, letters are text, not commands")
    func filterMode() {
        var state = Fixtures.state()
        _ = state.apply(Keymap.intent(for: .character("/"), in: state)!)
        #expect(Keymap.intent(for: .character("q"), in: state) == .filterType("q"))
        #expect(Keymap.intent(for: .character("é"), in: state) == .filterType("é"))
        #expect(Keymap.intent(for: .backspace, in: state) == .filterErase)
        #expect(Keymap.intent(for: .enter, in: state) == .filterAccept)
        #expect(Keymap.intent(for: .escape, in: state) == .filterCancel)
        #expect(Keymap.intent(for: .up, in: state) == nil)
    }

    @Test("a question takes y as yes and every other key as no")
    func confirmations() {
        var state = Fixtures.state()
        _ = state.apply(.blacklist)
        #expect(Keymap.intent(for: .character("y"), in: state) == .confirm(true))
        #expect(Keymap.intent(for: .character("n"), in: state) == .confirm(false))
        #expect(Keymap.intent(for: .enter, in: state) == .confirm(false))
    }

    @Test("every binding of a screen is a distinct key")
    func noClashes() {
        for screen in [Screen.torrents, .peers(Fixtures.hash("aa")), .moderation, .log] {
            let keys = (Keymap.bindings(for: screen) + Keymap.anywhere).flatMap(\.keys)
            let own = Keymap.bindings(for: screen).flatMap(\.keys)
            #expect(Set(own).count == own.count, "duplicate key in \(screen)")
            // A screen may override a global key only on purpose: none does.
            #expect(Set(keys).count == keys.count, "a key of \(screen) shadows a global one")
        }
    }
}
