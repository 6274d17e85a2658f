/// A point in wall-clock time, in milliseconds since the Unix epoch.
/// Swarm logic never reads a clock: callers pass `now` in, so expiry is testable.
public struct TrackerTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    public init(seconds: Int64) { self.milliseconds = seconds * 1000 }

    public var seconds: Int64 { milliseconds / 1000 }

    public static func < (lhs: TrackerTime, rhs: TrackerTime) -> Bool { lhs.milliseconds < rhs.milliseconds }

    public func adding(seconds: Int64) -> TrackerTime { TrackerTime(milliseconds: milliseconds + seconds * 1000) }

    public var description: String { "\(milliseconds)ms" }
}

/// Where the current time comes from: the system in production, a manual clock in tests.
public protocol TrackerClock: Sendable {
    func now() -> TrackerTime
}

/// Reads the real-time clock.
public struct SystemClock: TrackerClock {
    public init() {}

    public func now() -> TrackerTime {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return TrackerTime(milliseconds: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
