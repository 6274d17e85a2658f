import Logging
import NIOCore
import NIOPosix

/// Limits that protect the HTTP front end from slow, large or too many clients.
public struct HTTPServerLimits: Sendable {
    public var maxConnections: Int
    public var idleTimeoutSeconds: Int64
    public var maxRequestLine: Int
    public var maxHeadBytes: Int
    public var maxPipelined: Int

    public init(maxConnections: Int = 10_000, idleTimeoutSeconds: Int64 = 30, maxRequestLine: Int = 8192,
                maxHeadBytes: Int = 16384, maxPipelined: Int = 16) {
        self.maxConnections = maxConnections
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxRequestLine = maxRequestLine
        self.maxHeadBytes = maxHeadBytes
        self.maxPipelined = maxPipelined
    }
}

/// Binds the HTTP listeners and builds each connection's pipeline: decoder → tracker handler.
public final class HTTPServer: Sendable {
    public let limits: HTTPServerLimits
    private let logic: TrackerLogic
    private let stats: TrackerStats
    private let connections: ConnectionLimiter

    public init(logic: TrackerLogic, stats: TrackerStats, limits: HTTPServerLimits = HTTPServerLimits()) {
        self.logic = logic
        self.stats = stats
        self.limits = limits
        self.connections = ConnectionLimiter(maximum: limits.maxConnections)
    }

    /// Connections open now.
    public var openConnections: Int { connections.current }

    /// Adds the tracker's handlers to a new connection's pipeline (also used by tests).
    func configure(_ channel: Channel) throws {
        let handlerLimits = TrackerHTTPHandler.Limits(idleTimeout: .seconds(limits.idleTimeoutSeconds), maxPending: limits.maxPipelined)
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(HTTPRequestDecoder(maxRequestLine: limits.maxRequestLine, maxHeadBytes: limits.maxHeadBytes)),
            TrackerHTTPHandler(logic: logic, stats: stats, connections: connections, limits: handlerLimits),
        ])
    }

    /// Binds one listener.
    public func bind(_ address: ListenAddress, group: EventLoopGroup) async throws -> Channel {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 4)
            // A client may half-close after its request; it still gets its answer.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { [self] channel in
                do {
                    try configure(channel)
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
        // An IPv6 wildcard must not also claim the IPv4 port: the IPv4 listener has it.
        let configured = address.isIPv6
            ? bootstrap.serverChannelOption(ChannelOptions.Types.SocketOption(level: .ipv6, name: .ipv6_v6only), value: 1)
            : bootstrap
        return try await configured.bind(host: address.host, port: address.port).get()
    }
}
