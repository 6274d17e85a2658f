import Glibc

/// The process's open-file limit. Debian's default soft limit (1024) is far below what a tracker
/// with thousands of connections needs, while the hard limit is usually much higher.
public enum DescriptorLimit {
    /// unlimited, which Swift cannot import (it is written as -1 in an unsigned type).
    private static let unlimited = rlim_t.max

    /// Raises the soft RLIMIT_NOFILE to the hard limit (capped where the kernel caps it) and
    /// returns the soft limit now in force.
    @discardableResult
    public static func raiseSoftLimitToHard() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            // An unlimited hard limit is refused for files: fall back to the kernel's nr_open.
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) != 0, limit.rlim_max == unlimited {
                raised.rlim_cur = 1 << 20
                _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised)
            }
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return limit.rlim_cur == unlimited ? Int.max : Int(clamping: limit.rlim_cur)
    }

    /// Descriptors kept for everything but client connections: listeners and UDP sockets (one per
    /// address and worker each), epoll and wake-up descriptors, Redis connections, the moderation
    /// files and the log, with room to spare so that these still open when every connection place
    /// is taken.
    public static func reserve(threads: Int, listenAddresses: Int) -> Int {
        64 + threads * (listenAddresses + 3)
    }
}
