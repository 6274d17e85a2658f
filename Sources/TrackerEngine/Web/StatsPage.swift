import Foundation

/// `/stats`: the report as one HTML page with no outside assets: inline CSS, an inline SVG
/// chart, links that sort and page on the server, a filter form, and a reload every 10 s.
/// Every value from outside (names come from .torrent files) is escaped.
enum StatsPage {
    static func html(_ report: StatsReport) -> String {
        let s = report.summary, page = report.torrents
        var out = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="10">
            <meta name="viewport" content="width=device-width, initial-scale=1"><title>trackertui stats</title>
            <style>
            body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}h1{font-size:1.3em}table{border-collapse:collapse}
            td,th{padding:.2em .6em;text-align:right;border-bottom:1px solid #ddd}td.n,th.n{text-align:left}
            th a{color:inherit;text-decoration:none}.cards{display:flex;flex-wrap:wrap;gap:.5em 2em;margin-bottom:1em}
            .cards div b{display:block;font-size:1.3em}svg{background:#f6f8fa;border:1px solid #ddd}code{font-size:.9em}
            </style></head><body>
            <h1>trackertui</h1>
            <div class="cards" id="summary">
            """
        let cards: [(String, String)] = [
            ("uptime", duration(s.uptime_seconds)), ("nodes", "\(s.nodes)"), ("mode", s.mode ?? "-"),
            ("store", s.store.state + (s.store.latency_us.map { " \($0) µs" } ?? "")),
            ("torrents", "\(s.torrents)"), ("peers", "\(s.peers)"), ("seeders", "\(s.seeders)"), ("leechers", "\(s.leechers)"),
            ("completed", "\(s.completed)"),
            ("announces/s", "HTTP \(rate(s.rates.http.announces)) · UDP \(rate(s.rates.udp.announces))"),
            ("scrapes/s", "HTTP \(rate(s.rates.http.scrapes)) · UDP \(rate(s.rates.udp.scrapes))"),
            ("failures/s", "HTTP \(rate(s.rates.http.failures)) · UDP \(rate(s.rates.udp.failures))"),
        ]
        for (label, value) in cards { out += "<div>\(escape(label))<b>\(escape(value))</b></div>" }
        out += "</div>\n<h2>Announces per second, last hour</h2>\n" + chart(s.announces_per_second_history)
        if !s.failures_by_reason.isEmpty {
            out += "<h2>Failures by reason</h2><p>"
            out += s.failures_by_reason.sorted { $0.key < $1.key }.map { "<code>\(escape($0.key))</code> \($0.value)" }.joined(separator: " · ")
            out += "</p>"
        }
        out += """
            <h2>Torrents</h2>
            <form method="get" action="/stats"><input name="q" value="\(escape(page.filter))" placeholder="name or info-hash">
            <input type="hidden" name="sort" value="\(escape(page.sort))"><button>Filter</button></form>
            <table id="torrents"><thead><tr>
            """
        let columns: [(String, String, Bool)] = [("name", "Name / info-hash", true), ("size", "Size", false), ("seeders", "Seeders", false),
                                                 ("leechers", "Leechers", false), ("completed", "Completed", false), ("rate", "Announces/min", false),
                                                 ("last_activity", "Last activity", false)]
        for (key, title, isName) in columns {
            let order = page.sort == key && page.descending ? "asc" : "desc"
            let mark = page.sort == key ? (page.descending ? " ▼" : " ▲") : ""
            out += "<th\(isName ? " class=\"n\"" : "") data-sort=\"\(key)\"><a href=\"\(link(sort: key, order: order, offset: 0, filter: page.filter))\">\(escape(title))\(mark)</a></th>"
        }
        out += "</tr></thead><tbody>\n"
        for t in page.items {
            out += "<tr><td class=\"n\" title=\"\(t.info_hash)\">\(escape(t.name ?? t.info_hash))</td><td>\(t.size.map(bytes) ?? "-")</td>"
                + "<td>\(t.seeders)</td><td>\(t.leechers)</td><td>\(t.completed)</td><td>\(rate(t.announces_per_minute))</td>"
                + "<td>\(duration(report.generated_at - t.last_activity)) ago</td></tr>\n"
        }
        out += "</tbody></table>\n<p id=\"pages\">\(page.total) torrents"
        if page.total > page.limit {
            let order = page.descending ? "desc" : "asc"
            out += ", \(page.offset + 1)–\(min(page.offset + page.limit, page.total))"
            if page.offset > 0 { out += " · <a href=\"\(link(sort: page.sort, order: order, offset: max(0, page.offset - page.limit), filter: page.filter))\">previous</a>" }
            if page.offset + page.limit < page.total { out += " · <a href=\"\(link(sort: page.sort, order: order, offset: page.offset + page.limit, filter: page.filter))\">next</a>" }
        }
        out += "</p><p><a href=\"/stats.json\">JSON</a> · <a href=\"/metrics\">metrics</a></p></body></html>\n"
        return out
    }

    /// An inline SVG line of the last hour (one point every 10 s).
    static func chart(_ values: [Double]) -> String {
        let width = 720.0, height = 120.0
        guard values.count >= 2 else {
            return "<svg id=\"chart\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"announces per second\">"
                + "<text x=\"8\" y=\"20\" font-size=\"12\">a point every 10 s: the first come 20 s after the start</text></svg>\n"
        }
        let top = max(1, values.max() ?? 1)
        let step = values.count > 1 ? width / Double(values.count - 1) : width
        let points = values.enumerated().map { i, v in String(format: "%.1f,%.1f", Double(i) * step, height - v / top * (height - 10)) }
        return "<svg id=\"chart\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" "
            + "aria-label=\"announces per second\"><polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
            + "<text x=\"4\" y=\"14\" font-size=\"12\">max \(rate(top))/s</text></svg>\n"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    private static func link(sort: String, order: String, offset: Int, filter: String) -> String {
        let q = filter.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return escape("/stats?sort=\(sort)&order=\(order)&offset=\(offset)" + (q.isEmpty ? "" : "&q=\(q)"))
    }

    private static func rate(_ value: Double) -> String { String(format: value < 10 ? "%.1f" : "%.0f", value) }

    private static func bytes(_ value: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var v = Double(value), unit = 0
        while v >= 1024, unit < units.count - 1 { v /= 1024; unit += 1 }
        return unit == 0 ? "\(value) B" : String(format: "%.1f ", v) + units[unit]
    }

    private static func duration(_ seconds: Int64) -> String {
        let s = max(0, seconds)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h\(s % 3600 / 60)m" }
        return "\(s / 86_400)d\(s % 86_400 / 3600)h"
    }
}
