import Glibc

/// Time that only moves forward (CLOCK_MONOTONIC): for timeouts, backoff and rates, never for
/// what is stored (that is `TrackerTime`, from a `TrackerClock`).
public enum MonotonicClock {
    public static func milliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    public static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
