import CHiredis
import Glibc

/// One blocking hiredis connection, used by one thread at a time (an HTTP worker only writes
/// batches and reads replies once they arrive, see `RedisStoreLane`).
/// Commands are binary-safe argument vectors. `append` + `readReply` pipeline many commands in
/// one write. Any I/O error or timeout marks the connection broken; the owner reconnects.
public final class RedisConnection {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private var context: UnsafeMutablePointer<redisContext>?
    /// Where `readMembers` collects array members; it outlives the context, whose reader points at it.
    private let sink = RedisMemberSink()
    public let endpoint: RedisEndpoint
    public private(set) var isBroken = false

    /// Connects, logs in and selects the database; every step bounded by `timeout` seconds.
    public init(_ endpoint: RedisEndpoint, timeout: Double) throws {
        self.endpoint = endpoint
        Self.ignoreSIGPIPE
        let tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        switch endpoint.address {
        case let .tcp(host, port): context = redisConnectWithTimeout(host, Int32(port), tv)
        case .unix(let path): context = redisConnectUnixWithTimeout(path, tv)
        }
        guard let context else { throw Failure(description: "cannot allocate a Redis connection") }
        if context.pointee.err != 0 {
            let message = String(cString: chiredis_errstr(context))
            redisFree(context)
            self.context = nil
            throw Failure(description: "\(endpoint): \(message)")
        }
        redisSetTimeout(context, tv)
        guard chiredis_sink_install(context, sink.pointer) == 0 else { throw Failure(description: "cannot allocate a Redis reader") }
        if let password = endpoint.password {
            if let error = try command(["AUTH", password]).errorMessage { throw Failure(description: "AUTH: \(error)") }
        }
        if endpoint.database != 0 {
            if let error = try command(["SELECT", String(endpoint.database)]).errorMessage { throw Failure(description: "SELECT: \(error)") }
        }
    }

    deinit {
        if let context { redisFree(context) }
    }

    /// Runs one command and waits for its reply.
    public func command(_ arguments: [String]) throws -> RedisReply {
        try command(arguments.map { Array($0.utf8) })
    }

    public func command(_ arguments: [[UInt8]]) throws -> RedisReply {
        try append(arguments)
        return try readReply()
    }

    /// Queues a command in the output buffer; `readReply` sends everything queued and reads one reply.
    public func append(_ arguments: [[UInt8]]) throws {
        var writer = RESPWriter(capacity: arguments.reduce(16) { $0 + $1.count + 16 })
        writer.command(arguments)
        try appendEncoded(writer.bytes[...])
    }

    /// Queues commands already in wire format (`RESPWriter`); each still gets its own reply.
    func appendEncoded(_ bytes: ArraySlice<UInt8>) throws {
        guard let context, !isBroken else { throw Failure(description: "connection is broken") }
        guard !bytes.isEmpty else { return }
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                redisAppendFormattedCommand(context, $0, buffer.count)
            }
        }
        if status != REDIS_OK { throw markBroken() }
    }

    /// Sends everything queued without waiting for replies (they are read later, in order).
    func flush() throws {
        guard let context, !isBroken else { throw Failure(description: "connection is broken") }
        var done: Int32 = 0
        repeat {
            if redisBufferWrite(context, &done) != REDIS_OK { throw markBroken() }
        } while done == 0
    }

    /// The socket, for callers that wait for replies in their own poll loop.
    var descriptor: Int32? { isBroken ? nil : context?.pointee.fd }

    public func readReply() throws -> RedisReply {
        guard let context, !isBroken else { throw Failure(description: "connection is broken") }
        var raw: UnsafeMutableRawPointer?
        guard redisGetReply(context, &raw) == REDIS_OK, let raw else { throw markBroken() }
        defer { freeReplyObject(raw) }
        return RedisReply(UnsafePointer(raw.assumingMemoryBound(to: redisReply.self)))
    }

    /// Reads one array reply and lends `body` its members of `size` bytes, back to back, without
    /// building a reply object per member (the sink); other members are left out. False when the
    /// reply was not an array (an error): nothing is lent.
    func readMembers(size: Int, _ body: (UnsafeRawBufferPointer) -> Void) throws -> Bool {
        guard let context, !isBroken else { throw Failure(description: "connection is broken") }
        switch sink.read(memberSize: size, { redisGetReply(context, $0) }) {
        case .members(let bytes):
            body(bytes)
            return true
        case .other: return false
        case .incomplete, .failed: throw markBroken()
        }
    }

    /// Whether a reply can be read without blocking, waiting at most `milliseconds` for one
    /// (a lane's short wait for its batch; the moderation watch, which looks up now and then to
    /// see whether to stop).
    public func waitUntilReadable(milliseconds: Int32) throws -> Bool {
        guard let context, !isBroken else { throw Failure(description: "connection is broken") }
        var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, milliseconds)
        if ready < 0 && errno != EINTR { throw markBroken() }
        return ready > 0
    }

    private func markBroken() -> Failure {
        isBroken = true
        let message = context.map { String(cString: chiredis_errstr($0)) } ?? "no connection"
        return Failure(description: "\(endpoint): \(message.isEmpty ? "connection lost" : message)")
    }

    /// Waits until a server at `endpoint` answers PING (any reply, a NOAUTH error included), at most
    /// `timeout` seconds, giving up early when `stillStarting` says the server is gone.
    public static func waitUntilAnswering(_ endpoint: RedisEndpoint, timeout: Double, stillStarting: () -> Bool = { true }) -> Bool {
        var waited = 0.0
        while waited < timeout {
            if let connection = try? RedisConnection(endpoint, timeout: 0.5), (try? connection.command(["PING"])) != nil {
                return true
            }
            guard stillStarting() else { return false }
            usleep(20_000)
            waited += 0.02
        }
        return false
    }

    /// hiredis writes with write(2): a server that went away must not kill the process.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()
}

@available(*, unavailable)
extension RedisConnection: Sendable {}
