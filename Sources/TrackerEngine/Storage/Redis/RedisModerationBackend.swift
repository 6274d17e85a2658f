import Foundation
import Glibc
import Logging
import Synchronization

/// Moderation lists in Redis, shared by every node and dashboard on the same server and prefix:
/// `<prefix>:blacklist` (SET of hex info-hashes), `<prefix>:bans` (ZSET address or CIDR range →
/// deadline ms), `<prefix>:deregistered` (ZSET hex info-hash → deregistered at, ms). Every change is published on `<prefix>:events`; `watch` subscribes and reloads
/// on each message, after every (re)connection, so a change made while a node was cut off still
/// arrives, and every `pollSeconds` besides, for changes made by hand without a PUBLISH (an SADD
/// in redis-cli).
public final class RedisModerationBackend: ModerationBackend {
    public let endpoint: RedisEndpoint
    let keys: RedisKeys
    private let connection = Mutex<RedisConnection?>(nil)
    private let watcher = Locked<ThreadGroup?>(nil)
    private let timeout: Double
    private let logger: Logger
    /// Seconds between reloads when no message came.
    static let pollSeconds = 5

    public init(endpoint: RedisEndpoint, prefix: String, logger: Logger, timeout: Double = 1) {
        self.endpoint = endpoint
        self.logger = logger
        self.keys = RedisKeys(prefix: prefix)
        self.timeout = timeout
    }

    public var location: String { "redis \(endpoint) \(keys.blacklist), \(keys.bans), \(keys.deregistered)" }

    /// Runs commands on the shared connection, reconnecting once when it is broken.
    private func run(_ commands: [[String]]) throws -> [RedisReply] {
        let endpoint = endpoint, timeout = timeout
        return try connection.withLock { connection -> [RedisReply] in
            do {
                if connection == nil || connection!.isBroken { connection = try RedisConnection(endpoint, timeout: timeout) }
                let live = connection!
                for command in commands { try live.append(command.map { Array($0.utf8) }) }
                let replies = try commands.map { _ in try live.readReply() }
                if let error = replies.compactMap(\.errorMessage).first { throw ModerationError("redis: \(error)") }
                return replies
            } catch let error as ModerationError {
                throw error
            } catch {
                connection = nil
                throw ModerationError("redis unavailable: \(error)")
            }
        }
    }

    public func load(now: TrackerTime) throws -> ModerationState {
        let replies = try run([["SMEMBERS", keys.blacklist],
                               ["ZRANGEBYSCORE", keys.bans, "(\(now.milliseconds)", "+inf", "WITHSCORES"],
                               ["ZRANGE", keys.deregistered, "0", "-1", "WITHSCORES"]])
        var state = ModerationState()
        var skipped: [String] = []
        for member in replies[0].array ?? [] {
            let text = String(decoding: member.bytes ?? [], as: UTF8.self)
            if let hash = InfoHash(hex: text) { state.blacklist.insert(hash) } else { skipped.append("\(keys.blacklist) member \(text.prefix(60))") }
        }
        let bans = replies[1].array ?? []
        for i in stride(from: 0, to: bans.count - 1, by: 2) {
            let name = String(decoding: bans[i].bytes ?? [], as: UTF8.self)
            guard let range = AddressRange(name),
                  let score = bans[i + 1].bytes.flatMap({ Double(String(decoding: $0, as: UTF8.self)) }),
                  let until = TrackerTime(milliseconds: score) else {
                skipped.append("\(keys.bans) member \(name.prefix(60))")
                continue
            }
            state.bans[range] = max(until, state.bans[range] ?? until)
        }
        let deregistered = replies[2].array ?? []
        for i in stride(from: 0, to: deregistered.count - 1, by: 2) {
            let name = String(decoding: deregistered[i].bytes ?? [], as: UTF8.self)
            guard let hash = InfoHash(hex: name),
                  let score = deregistered[i + 1].bytes.flatMap({ Double(String(decoding: $0, as: UTF8.self)) }),
                  let time = TrackerTime(milliseconds: score) else {
                skipped.append("\(keys.deregistered) member \(name.prefix(60))")
                continue
            }
            state.deregistered[hash] = time
        }
        if !skipped.isEmpty { logger.warning("moderation entries skipped (not valid)", metadata: ["entries": "\(skipped)"]) }
        return state
    }

    public func setBlacklisted(_ infoHash: InfoHash, _ listed: Bool) throws {
        _ = try run([[listed ? "SADD" : "SREM", keys.blacklist, infoHash.hex],
                     ["PUBLISH", keys.events, "\(listed ? "blacklist" : "unblacklist") \(infoHash.hex)"]])
    }

    public func ban(_ range: AddressRange, until: TrackerTime) throws {
        let score = until == .distantFuture ? "+inf" : String(until.milliseconds)
        _ = try run([["ZADD", keys.bans, score, range.description], ["PUBLISH", keys.events, "ban \(range)"]])
    }

    public func unban(_ range: AddressRange) throws {
        _ = try run([["ZREM", keys.bans, range.description], ["PUBLISH", keys.events, "unban \(range)"]])
    }

    public func setDeregistered(_ infoHash: InfoHash, at time: TrackerTime?) throws {
        let change = time.map { ["ZADD", keys.deregistered, String($0.milliseconds), infoHash.hex] } ?? ["ZREM", keys.deregistered, infoHash.hex]
        _ = try run([change, ["PUBLISH", keys.events, "\(time == nil ? "reregister" : "deregister") \(infoHash.hex)"]])
    }

    public func watch(_ changed: @escaping @Sendable () -> Void) {
        let endpoint = endpoint, channel = keys.events
        watcher.value = ThreadGroup(starting: "trackertui-moderation") { thread in
            Self.subscribeLoop(endpoint: endpoint, channel: channel, thread: thread, changed: changed)
        }
    }

    public func stopWatching() {
        watcher.value?.stop(timeout: 2)
    }

    /// Subscribes, then waits for messages half a second at a time (so that it can stop), and
    /// reconnects with backoff when the connection drops.
    private static func subscribeLoop(endpoint: RedisEndpoint, channel: String, thread: ThreadGroup,
                                      changed: @Sendable () -> Void) {
        var backoff = 0.1
        while !thread.isStopping {
            do {
                let connection = try RedisConnection(endpoint, timeout: 1)
                guard try connection.command(["SUBSCRIBE", channel]).errorMessage == nil else { throw ModerationError("SUBSCRIBE refused") }
                backoff = 0.1
                changed()
                var quietWaits = 0
                while !thread.isStopping {
                    guard try connection.waitUntilReadable(milliseconds: 500) else {
                        quietWaits += 1
                        if quietWaits >= pollSeconds * 2 {
                            quietWaits = 0
                            changed()
                        }
                        continue
                    }
                    _ = try connection.readReply()
                    quietWaits = 0
                    changed()
                }
            } catch {
                usleep(UInt32(backoff * 1_000_000))
                backoff = min(backoff * 2, 2)
            }
        }
    }
}
