import ArgumentParser
import Dispatch
import Foundation
import Logging
import TrackerEngine

/// What the Redis runs of the hidden benchmarks share: a managed redis-server (the settings
/// `serve` uses) in a temporary directory, a store on it, announces sent 512 at a time, and
/// INFO fields read from a connection of its own.
final class BenchRedis {
    let redis: ManagedRedis
    let store: RedisSwarmStore
    private let info: RedisConnection
    private let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tt-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        redis = try ManagedRedis(directory: directory, logger: Logger(label: "bench"))
        info = try RedisConnection(redis.endpoint, timeout: 5)
        store = RedisSwarmStore(endpoint: redis.endpoint, prefix: "bench", peerTimeout: 3660)
    }

    deinit {
        store.shutdown()
        redis.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Sends every announce, 512 in flight, waits for every answer; returns how many failed.
    @discardableResult
    func announceAll(_ requests: [AnnounceRequest], now: TrackerTime) -> Int {
        let inFlight = DispatchSemaphore(value: 512)
        let failures = Locked(0)
        for request in requests {
            inFlight.wait()
            store.announce(request, now: now) { result in
                if case .failure = result { failures.update { $0 += 1 } }
                inFlight.signal()
            }
        }
        for _ in 0..<512 { inFlight.wait() }  // every answer is in
        for _ in 0..<512 { inFlight.signal() }  // libdispatch refuses to free a semaphore below its start value
        return failures.value
    }

    /// A number from `INFO <section>`, e.g. ("memory", "used_memory") or ("cpu", "used_cpu_user").
    func info(_ section: String, _ field: String) throws -> Double {
        guard case .string(let bytes) = try info.command(["INFO", section]),
              let line = String(decoding: bytes, as: UTF8.self).split(separator: "\r\n").first(where: { $0.hasPrefix(field + ":") }),
              let value = Double(line.dropFirst(field.count + 1))
        else { throw ValidationError("cannot read \(field) from INFO \(section)") }
        return value
    }

    /// redis-server's user + system CPU so far, in milliseconds.
    func cpuMillis() throws -> Double {
        try (info("cpu", "used_cpu_user") + info("cpu", "used_cpu_sys")) * 1000
    }
}
