import Foundation
import Glibc
import Logging

/// The private redis-server trackertui runs when no `--redis` is given: a unix socket and an
/// append-only file in the data directory, so swarms and completions survive restarts with no
/// setup. Started and waited for at launch, shut down (flushing the AOF) at exit.
public final class ManagedRedis: Sendable {
    public enum StartError: Error, CustomStringConvertible {
        case notInstalled
        case alreadyRunning(String)
        case didNotStart(String)

        public var description: String {
            switch self {
            case .notInstalled:
                return "redis-server is not installed: install it (apt-get install redis-server), point --redis at a server, or run with --store memory"
            case .alreadyRunning(let socket):
                return "a redis-server already answers on \(socket): is another trackertui using this --data-dir?"
            case .didNotStart(let detail):
                return "the managed redis-server did not start: \(detail)"
            }
        }
    }

    public let endpoint: RedisEndpoint
    public let directory: String
    private let process: Locked<ChildProcess?>
    private let logger: Logger

    /// The default memory bound: a quarter of the machine's memory, so a flood of torrents or
    /// peers fills Redis to a known size (then announces of new peers are refused) instead of
    /// pushing the home server into swap.
    public static var defaultMaxMemoryBytes: Int64 {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return 1 << 30 }
        return max(64 << 20, Int64(pages) * Int64(pageSize) / 4)
    }

    /// Starts redis-server for `directory` and waits (at most `timeout` seconds) until it answers.
    /// - Parameter maxMemoryBytes: Redis's `maxmemory`, with `noeviction`: writes that need memory
    ///   past it are refused (an announce then fails with `tracker storage full`), nothing is evicted.
    public init(directory: String, maxMemoryBytes: Int64 = ManagedRedis.defaultMaxMemoryBytes, logger: Logger, timeout: Double = 10) throws {
        guard let server = Self.findServer() else { throw StartError.notInstalled }
        self.directory = directory
        self.logger = logger
        let socket = directory + "/redis.sock"
        // A unix socket path must fit in sockaddr_un (108 bytes); a deep data dir falls back to loopback TCP.
        let useSocket = socket.utf8.count < 100
        let port = useSocket ? 0 : (try? Self.freePort()) ?? 0
        endpoint = useSocket ? RedisEndpoint(address: .unix(path: socket)) : RedisEndpoint(address: .tcp(host: "127.0.0.1", port: port))
        if useSocket, FileManager.default.fileExists(atPath: socket) {
            try Self.retireOrphan(at: endpoint, socket: socket, logger: logger)
            try? FileManager.default.removeItem(atPath: socket)  // left by a crash
        }
        var arguments = ["--dir", directory, "--daemonize", "no", "--logfile", directory + "/redis.log",
                         "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
                         "--maxmemory", String(maxMemoryBytes), "--maxmemory-policy", "noeviction",
                         // Small swarms stay in compact encodings (the bulk of the memory).
                         "--hash-max-listpack-entries", "256",
                         "--hash-max-listpack-value", "64"]
        arguments += useSocket ? ["--port", "0", "--unixsocket", socket, "--unixsocketperm", "700"]
                               : ["--port", String(port), "--bind", "127.0.0.1"]
        let process: ChildProcess
        do {
            process = try ChildProcess(executable: server, arguments: arguments)
        } catch {
            throw StartError.didNotStart("\(error)")
        }
        self.process = Locked(process)
        if RedisConnection.waitUntilAnswering(endpoint, timeout: timeout, stillStarting: { process.isRunning }) {
            logger.notice("managed redis-server started", metadata: ["redis": "\(endpoint)", "pid": "\(process.pid)"])
            return
        }
        guard process.isRunning else { throw StartError.didNotStart("it exited; see \(directory)/redis.log") }
        process.signal(SIGKILL)
        _ = process.wait(timeout: 1)
        throw StartError.didNotStart("no answer within \(Int(timeout)) s; see \(directory)/redis.log")
    }

    /// Asks the server to shut down (it flushes the append-only file) and waits; SIGTERM, then
    /// SIGKILL, if it does not go within `timeout` seconds.
    public func stop(timeout: Double = 10) {
        guard let process = process.value else { return }
        self.process.value = nil
        if let connection = try? RedisConnection(endpoint, timeout: 1) {
            _ = try? connection.command(["SHUTDOWN"])  // answered by closing the connection
        }
        if !process.wait(timeout: timeout / 2) {
            process.signal(SIGTERM)
            if !process.wait(timeout: timeout / 2) {
                process.signal(SIGKILL)
                _ = process.wait(timeout: 1)
                logger.warning("managed redis-server did not stop in time: killed")
            }
        }
        logger.notice("managed redis-server stopped")
    }

    deinit { stop() }

    /// A server already answering on our socket is either another live tracker's (refuse) or the
    /// orphan of a tracker that was killed (its parent is gone): that one is shut down cleanly,
    /// flushing its append-only file, so that this tracker can start its own on the same data.
    private static func retireOrphan(at endpoint: RedisEndpoint, socket: String, logger: Logger) throws {
        guard let connection = try? RedisConnection(endpoint, timeout: 0.5) else { return }
        guard case .string(let info)? = try? connection.command(["INFO", "server"]),
              let line = String(decoding: info, as: UTF8.self).split(separator: "\r\n").first(where: { $0.hasPrefix("process_id:") }),
              let pid = Int32(line.dropFirst("process_id:".count)),
              let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let parent = stat.split(separator: ")").last?.split(separator: " ").dropFirst().first.flatMap({ Int32($0) }),
              parent == 1 || parent == getpid()
        else { throw StartError.alreadyRunning(socket) }
        logger.warning("found the managed redis-server of a tracker that did not stop cleanly: shutting it down", metadata: ["pid": "\(pid)"])
        _ = try? connection.command(["SHUTDOWN"])
        for _ in 0..<500 where kill(pid, 0) == 0 { usleep(10_000) }
    }

    /// `TRACKERTUI_REDIS_SERVER` if set, else redis-server on the PATH or in the usual places.
    static func findServer() -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let chosen = environment["TRACKERTUI_REDIS_SERVER"] {
            return FileManager.default.isExecutableFile(atPath: chosen) ? chosen : nil
        }
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        return (path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/sbin", "/usr/local/bin"])
            .map { $0 + "/redis-server" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A free loopback port, from a listener bound to port 0 and closed again.
    private static func freePort() throws -> Int {
        let fd = try PosixSocket.listener(ListenAddress(host: "127.0.0.1", port: 0), port: 0, backlog: 1)
        defer { close(fd) }
        guard let port = PosixSocket.localPort(fd) else { throw StartError.didNotStart("no free loopback port") }
        return port
    }
}
