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
