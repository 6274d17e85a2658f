import NIOCore

/// One HTTP request as the tracker needs it: no header table, only the facts it acts on.
public struct HTTPRequest: Sendable, Equatable {
    public enum Method: Sendable, Equatable {
        case get, head, other
    }

    public var method: Method
    /// The request target (path and query), raw bytes as sent.
    public var target: ByteBuffer
    /// HTTP/1.1 (true) or HTTP/1.0.
    public var isHTTP11: Bool
    /// Whether the connection stays open after the answer.
    public var keepAlive: Bool
    public var acceptsGzip: Bool
    /// `X-Forwarded-For` and `X-Real-IP` as sent (several headers of a name joined by commas);
    /// heeded only from trusted proxies.
    public var forwardedFor: [UInt8]?
    public var realIP: [UInt8]?

    public init(method: Method, target: ByteBuffer, isHTTP11: Bool, keepAlive: Bool, acceptsGzip: Bool,
                forwardedFor: [UInt8]? = nil, realIP: [UInt8]? = nil) {
        self.method = method
        self.target = target
        self.isHTTP11 = isHTTP11
        self.keepAlive = keepAlive
        self.acceptsGzip = acceptsGzip
        self.forwardedFor = forwardedFor
        self.realIP = realIP
    }
}

/// What the decoder hands on: a request, or the status to answer a request it could not accept.
public enum HTTPRequestPart: Sendable, Equatable {
    case request(HTTPRequest)
    /// The connection is answered with this status and closed.
    case malformed(HTTPStatus)
}

public enum HTTPStatus: Sendable, Equatable {
    case ok, badRequest, forbidden, notFound, methodNotAllowed, payloadTooLarge, uriTooLong, headersTooLarge

    public var line: StaticString {
        switch self {
        case .ok: return "HTTP/1.1 200 OK\r\n"
        case .badRequest: return "HTTP/1.1 400 Bad Request\r\n"
        case .forbidden: return "HTTP/1.1 403 Forbidden\r\n"
        case .notFound: return "HTTP/1.1 404 Not Found\r\n"
        case .methodNotAllowed: return "HTTP/1.1 405 Method Not Allowed\r\n"
        case .payloadTooLarge: return "HTTP/1.1 413 Content Too Large\r\n"
        case .uriTooLong: return "HTTP/1.1 414 URI Too Long\r\n"
        case .headersTooLarge: return "HTTP/1.1 431 Request Header Fields Too Large\r\n"
        }
    }
}
