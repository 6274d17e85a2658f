import Foundation
import TrackerEngine

/// The four meter lines at the top: uptime and addresses, the store's health, the swarm totals,
/// and the request rates with a 60-second announce sparkline.
struct HeaderView {
    var glyphs: Glyphs

    func draw(_ state: DashboardState, on grid: inout CellGrid) {
        let s = state.snapshot
        var x = grid.put("trackertui", row: 0, column: 0, role: .title)
        if let started = s.startedAt {
            x += grid.put("  up ", row: 0, column: x, role: .label)
            x += grid.put(Format.duration(s.takenAt.seconds - started.seconds), row: 0, column: x, role: .value)
        }
        if s.nodes != 1 || !state.quitStopsEngine {
            x += grid.put("  nodes ", row: 0, column: x, role: .label)
            x += grid.put(String(s.nodes), row: 0, column: x, role: s.nodes == 0 ? .bad : .value)
        }
        x += grid.put("  ", row: 0, column: x)
        grid.put(s.listening.joined(separator: " "), row: 0, column: x, role: .value)

        x = grid.put("Store ", row: 1, column: 0, role: .label)
        x += grid.put(s.store.description + "  ", row: 1, column: x, role: .value, limit: max(10, grid.columns - 30))
        switch s.store.state {
        case .inProcess: grid.put("in process", row: 1, column: x, role: .good)
        case .connected:
            let latency = s.store.latencyMicros.map { " " + Self.latency($0) } ?? ""
            grid.put("connected" + latency, row: 1, column: x, role: .good)
        case .unreachable: grid.put("UNREACHABLE, reconnecting", row: 1, column: x, role: .bad)
        case .full: grid.put("FULL (maxmemory), refusing new peers", row: 1, column: x, role: .bad)
        }

        let totals = s.totals
        x = 0
        for (label, value, role) in [("Torrents ", s.torrents.count, ColorRole.value), ("  Peers ", totals.seeders + totals.leechers, .value),
                                     ("  Seeders ", totals.seeders, .good), ("  Leechers ", totals.leechers, .warning),
                                     ("  Blacklisted ", s.moderation.blacklist.count, .value), ("  Bans ", s.moderation.bans.count, .value)] {
            x += grid.put(label, row: 2, column: x, role: .label)
            x += grid.put(Format.count(value), row: 2, column: x, role: role)
        }

        x = grid.put("Announces/s ", row: 3, column: 0, role: .label)
        x += grid.put(Format.rate(s.announcesPerSecond).padding(5), row: 3, column: x, role: .value)
        let tail = "  Scrapes/s \(Format.rate(s.scrapesPerSecond))  Failures/s \(Format.rate(s.failuresPerSecond))"
        let sparkWidth = max(0, min(60, grid.columns - x - TextWidth.columns(tail) - 2))
        x += grid.put(" " + sparkline(s.announceHistory, width: sparkWidth) + " ", row: 3, column: x, role: .good)
        x += grid.put("  Scrapes/s ", row: 3, column: x, role: .label)
        x += grid.put(Format.rate(s.scrapesPerSecond), row: 3, column: x, role: .value)
        x += grid.put("  Failures/s ", row: 3, column: x, role: .label)
        grid.put(Format.rate(s.failuresPerSecond), row: 3, column: x, role: s.failuresPerSecond > 0 ? .bad : .value)
    }

    /// The last `width` samples as bar characters, scaled to the largest.
    func sparkline(_ history: [Double], width: Int) -> String {
        guard width > 0 else { return "" }
        let samples = Array(history.suffix(width))
        let top = samples.max() ?? 0
        let levels = glyphs.sparks.count - 1
        let bars = samples.map { value -> String in
            guard top > 0, value > 0 else { return glyphs.sparks[0] }
            return glyphs.sparks[max(1, Int((value / top * Double(levels)).rounded(.up)))]
        }
        return String(repeating: glyphs.sparks[0], count: width - samples.count) + bars.joined()
    }

    static func latency(_ micros: Int) -> String {
        micros < 10_000 ? String(format: "%.1fms", Double(micros) / 1000) : "\(micros / 1000)ms"
    }
}

extension String {
    /// Right-aligned in `width` columns.
    func padding(_ width: Int) -> String {
        String(repeating: " ", count: max(0, width - TextWidth.columns(self))) + self
    }
}
