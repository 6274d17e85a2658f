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
    private let sweepers = IdleSweepers()

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
        let handlerLimits = TrackerHTTPHandler.Limits(
            idleTimeoutSeconds: UInt32(clamping: limits.idleTimeoutSeconds), maxRequestLine: limits.maxRequestLine,
            maxHeadBytes: limits.maxHeadBytes, maxPipelined: limits.maxPipelined)
        // Set here, synchronously: bootstrap child options go through futures on every connection.
        // A client may half-close after its request; it still gets its answer.
        try channel.syncOptions?.setOption(.allowRemoteHalfClosure, value: true)
        try channel.pipeline.syncOperations.addHandler(
            TrackerHTTPHandler(logic: logic, stats: stats, connections: connections, sweepers: sweepers, limits: handlerLimits))
    }

    /// Binds one listener.
    public func bind(_ address: ListenAddress, group: EventLoopGroup) async throws -> Channel {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // No TCP_NODELAY: every reply is one write, so Nagle never holds one back, and the
            // setsockopt would cost a syscall per connection.
            // Accept up to 16 waiting connections per wake-up.
            .serverChannelOption(.maxMessagesPerRead, value: 16)
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
