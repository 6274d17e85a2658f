import Foundation
import TrackerEngine

/// The five meter lines at the top: uptime and addresses, the store's health, the swarm totals,
/// and the request rates (all, then HTTP's and UDP's) with a 60-second announce sparkline.
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

        // Rates: the totals, then each protocol's share.
        let rates = s.rates, total = rates.total
        x = meter("Announces/s ", total.announces, http: rates.http.announces, udp: rates.udp.announces, row: 3, on: &grid)
        let sparkWidth = max(0, min(60, grid.columns - x - 2))
        grid.put("  " + sparkline(s.announceHistory, width: sparkWidth), row: 3, column: x, role: .good)
        x = meter("Scrapes/s   ", total.scrapes, http: rates.http.scrapes, udp: rates.udp.scrapes, row: 4, on: &grid)
        x += grid.put("  ", row: 4, column: x)
        meter("Failures/s ", total.failures, http: rates.http.failures, udp: rates.udp.failures, row: 4, column: x, on: &grid,
              role: total.failures > 0 ? .bad : .value)
    }

    /// `label total  HTTP n  UDP n` from `column`; returns the column after it.
    @discardableResult
    private func meter(_ label: String, _ total: Double, http: Double, udp: Double, row: Int, column: Int = 0, on grid: inout CellGrid,
                       role: ColorRole = .value) -> Int {
        var x = column + grid.put(label, row: row, column: column, role: .label)
        x += grid.put(Format.rate(total).padding(5), row: row, column: x, role: role)
        for (name, value) in [("  HTTP ", http), ("  UDP ", udp)] {
            x += grid.put(name, row: row, column: x, role: .label)
            x += grid.put(Format.rate(value).padding(4), row: row, column: x, role: value > 0 ? role : .value)
        }
        return x
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
