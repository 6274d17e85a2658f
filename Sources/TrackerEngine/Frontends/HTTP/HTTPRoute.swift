import NIOCore

/// Which of the tracker's pages a request target names. `/announce` and `/scrape` may sit under
/// any prefix (`/tracker/announce`, `/<passkey>/announce`); the web pages are at their exact paths.
enum HTTPRoute: Equatable {
    case announce, scrape, index, web(WebPage), notFound

    /// The route on a listener for the web pages alone: the tracker's own routes are not there.
    var webOnly: HTTPRoute {
        switch self {
        case .announce, .scrape: return .notFound
        default: return self
        }
    }

    /// Splits a raw target into its route and the byte range of its query (after `?`).
    static func parse(_ target: UnsafeRawBufferPointer) -> (HTTPRoute, Range<Int>) {
        let question = target.firstIndex(of: UInt8(ascii: "?")) ?? target.count
        let query = min(question + 1, target.count)..<target.count
        let path = 0..<question
        if path.count == 1 { return (.index, query) }
        if target.matches(path, "/stats") { return (.web(.stats), query) }
        if target.matches(path, "/stats.json") { return (.web(.statsJSON), query) }
        if target.matches(path, "/metrics") { return (.web(.metrics), query) }
        let lastSlash = target[path].lastIndex(of: UInt8(ascii: "/")) ?? 0
        let last = (lastSlash + 1)..<question
        if target.matches(last, "announce") { return (.announce, query) }
        if target.matches(last, "scrape") { return (.scrape, query) }
        return (.notFound, query)
    }
}
