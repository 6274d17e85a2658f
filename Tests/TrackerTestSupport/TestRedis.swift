import Foundation
import Synchronization
import TrackerEngine

/// A redis-server the tests start themselves on a free loopback port, without persistence.
/// `shared` is started on first use and stopped when the test process exits; tests keep apart
/// by key prefix. Others (fault tests) start their own and stop them.
public final class TestRedis: Sendable {
    public let port: Int
    public let pid: Int32
    private let directory: URL

    public var endpoint: RedisEndpoint { RedisEndpoint(address: .tcp(host: "127.0.0.1", port: port)) }
    public var url: String { "redis://127.0.0.1:\(port)/0" }

    /// Starts a server on `port` (a free one when nil), with `extraArguments` for redis-server.
    public init(port: Int? = nil, extraArguments: [String] = []) throws {
        self.port = try port ?? FreePort.find()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("trackertui-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Not Foundation's Process: `stop` reaps the child itself, which Foundation's monitor does not expect.
        let process = try ChildProcess(executable: Self.serverPath, arguments: [
            "--bind", "127.0.0.1", "--port", String(self.port), "--save", "", "--appendonly", "no",
            "--dir", directory.path, "--logfile", directory.appendingPathComponent("redis.log").path] + extraArguments)
        pid = process.pid
        Self.started.withLock { _ = $0.insert(pid) }
        if RedisConnection.waitUntilAnswering(endpoint, timeout: 10, stillStarting: { process.isRunning }) { return }
        stop()
        throw TestSetupError("redis-server did not answer on port \(self.port) within 10 s")
    }

    /// Stops the server (SIGKILL: like a crash, and quick).
    public func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        Self.started.withLock { _ = $0.remove(pid) }
        try? FileManager.default.removeItem(at: directory)
    }

    public static let serverPath = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    } ?? "redis-server"

    /// One server for every test of the process.
    public static let shared: TestRedis = {
        do {
            let redis = try TestRedis()
            atexit { TestRedis.stopAll() }
            return redis
        } catch {
            fatalError("cannot start redis-server for the tests: \(error)")
        }
    }()

    private static let started = Mutex<Set<Int32>>([])

    private static func stopAll() {
        for pid in started.withLock({ $0 }) { kill(pid, SIGKILL) }
    }

    /// A key prefix no other test uses.
    public static func uniquePrefix() -> String { "test:\(UUID().uuidString.prefix(8))" }
}
