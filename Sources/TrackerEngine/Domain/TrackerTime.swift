/// A point in wall-clock time, in milliseconds since the Unix epoch.
/// Swarm logic never reads a clock: callers pass `now` in, so expiry is testable.
public struct TrackerTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    /// Saturates at the ends of the range: seconds come from files and Redis too, and a huge
    /// value there means "forever", never a crash.
    public init(seconds: Int64) { self.milliseconds = Self.saturating(seconds.multipliedReportingOverflow(by: 1000), sign: seconds) }

    /// A time read back as a floating-point number (a Redis score, in milliseconds): `+inf` is the
    /// end of time, `-inf` the beginning; NaN is no time at all.
    public init?(milliseconds value: Double) {
        guard !value.isNaN else { return nil }
        if value >= 9.2e18 { self.milliseconds = .max } else if value <= -9.2e18 { self.milliseconds = .min } else { self.milliseconds = Int64(value) }
    }

    /// The latest time there is: a ban "forever".
    public static let distantFuture = TrackerTime(milliseconds: .max)

    public var seconds: Int64 { milliseconds / 1000 }

    public static func < (lhs: TrackerTime, rhs: TrackerTime) -> Bool { lhs.milliseconds < rhs.milliseconds }

    public func adding(seconds: Int64) -> TrackerTime {
        let delta = TrackerTime(seconds: seconds).milliseconds
        return TrackerTime(milliseconds: Self.saturating(milliseconds.addingReportingOverflow(delta), sign: delta))
    }

    private static func saturating(_ result: (partialValue: Int64, overflow: Bool), sign: Int64) -> Int64 {
        guard result.overflow else { return result.partialValue }
        return sign < 0 ? .min : .max
    }

    public var description: String { "\(milliseconds)ms" }
}

/// Where the current time comes from: the system in production, a `ManualClock` in tests and benchmarks.
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

/// A clock moved by hand: tests and benchmarks step time instead of waiting for it.
public final class ManualClock: TrackerClock {
    private let time: Locked<TrackerTime>

    public init(_ start: TrackerTime = TrackerTime(seconds: 1_700_000_000)) {
        time = Locked(start)
    }

    public func now() -> TrackerTime { time.value }

    public func advance(seconds: Int64) {
        time.update { $0 = $0.adding(seconds: seconds) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
