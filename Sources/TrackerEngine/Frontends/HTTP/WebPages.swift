/// The tracker's pages for people and monitoring, served by the HTTP front end beside
/// announces: `/stats` (HTML), `/stats.json` and `/metrics` (Prometheus), to the clients
/// `isAllowed` admits (others get 403). The front end only routes; what they say is the web
/// room's (`TrackerWeb`).
public protocol WebPages: Sendable {
    func isAllowed(_ client: PeerEndpoint) -> Bool
    /// The page's body; `query` is the request's query string, not yet decoded.
    func render(_ page: WebPage, query: String) async -> WebPageBody
}

public enum WebPage: Sendable, Equatable {
    case stats, statsJSON, metrics
}

public struct WebPageBody: Sendable {
    public var status: HTTPStatus
    public var contentType: StaticString
    public var bytes: [UInt8]

    public init(status: HTTPStatus = .ok, contentType: StaticString, bytes: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.bytes = bytes
    }
}
