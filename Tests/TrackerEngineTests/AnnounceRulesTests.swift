import Testing
@testable import TrackerEngine

/// The announce rules every store applies, as plain values.
@Suite("Announce rules")
struct AnnounceRulesTests {
    @Test("stopped leaves; an absent peer joins; a completion counts once, for a leecher becoming a seeder")
    func transitions() {
        typealias Rules = AnnounceRules
        for place in [Rules.Place.absent, .seeders, .leechers] {
            let stopped = Rules.transition(event: .stopped, isSeeder: true, was: place, completionCounted: false)
            #expect(stopped == .init(leaves: true, joins: false, countsCompletion: false))
        }
        #expect(Rules.transition(event: .started, isSeeder: false, was: .absent, completionCounted: false).joins)
        #expect(!Rules.transition(event: .none, isSeeder: false, was: .leechers, completionCounted: false).joins)
        #expect(Rules.transition(event: .completed, isSeeder: true, was: .leechers, completionCounted: false).countsCompletion)
        #expect(!Rules.transition(event: .completed, isSeeder: true, was: .leechers, completionCounted: true).countsCompletion, "once per peer")
        #expect(!Rules.transition(event: .completed, isSeeder: true, was: .absent, completionCounted: false).countsCompletion, "unknown peers do not count")
        #expect(!Rules.transition(event: .completed, isSeeder: true, was: .seeders, completionCounted: false).countsCompletion)
        #expect(!Rules.transition(event: .completed, isSeeder: false, was: .leechers, completionCounted: false).countsCompletion, "left > 0")
    }

    @Test("a seeder draws from leechers only; a leecher from both")
    func draws() {
        #expect(AnnounceRules.drawsFrom(isSeeder: true) == (seeders: false, leechers: true))
        #expect(AnnounceRules.drawsFrom(isSeeder: false) == (seeders: true, leechers: true))
    }
}
