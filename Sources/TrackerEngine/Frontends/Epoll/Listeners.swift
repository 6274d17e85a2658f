import CLinuxNet
import Glibc

/// One worker's listening sockets (SO_REUSEPORT siblings of the other workers'): accepts what the
/// connection limits admit, and takes the listeners out of the epoll set for a moment when the
/// process runs out of descriptors, which would otherwise wake the loop again at once, forever.
/// Worker thread only.
final class Listeners {
    /// A connection taken: its descriptor, its address, and whom the per-address limit counts it for.
    struct Admitted {
        let fd: Int32
        let remote: PeerEndpoint
        let client: PeerAddress?
    }

    static let tag: UInt64 = 1 << 62
    private static let batch = 64
    /// How long listeners rest after the process ran out of descriptors.
    private static let restMillis: Int64 = 100

    private let fds: [Int32]
    private let epoll: EpollSet
    private let limiter: ConnectionLimiter
    private let addressLimiter: AddressConnectionLimiter
    private let stats: TrackerStats
    /// Out of the epoll set until then; nil while accepting.
    private var resumeAt: Int64?

    init(_ fds: [Int32], epoll: EpollSet, limiter: ConnectionLimiter, addressLimiter: AddressConnectionLimiter, stats: TrackerStats) {
        self.fds = fds
        self.epoll = epoll
        self.limiter = limiter
        self.addressLimiter = addressLimiter
        self.stats = stats
        for (index, fd) in fds.enumerated() { epoll.add(fd, events: EPOLLIN.rawValue, tag: Self.tag | UInt64(index)) }
    }

    var isResting: Bool { resumeAt != nil }

    /// Accepts a batch from the listener an event with `tag` came for; hands each admitted
    /// connection to `admit`, closes (and counts) those past a limit.
    func accept(tag: UInt64, _ admit: (Admitted) -> Void) {
        let listener = fds[Int(tag & 0xFFFF)]
        for _ in 0..<Self.batch {
            switch PosixSocket.accept(listener) {
            case .wouldBlock:
                return
            case .failed(let code):
                if code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM {
                    rest()
                    return
                }
                // A connection reset before accept: go on with the next one.
                if code != ECONNABORTED { return }
            case let .connection(fd, address):
                guard let remote = PeerEndpoint(socketAddress: address), limiter.acquire() else {
                    refuse(fd)
                    continue
                }
                let client = addressLimiter.client(remote)
                if let client, !addressLimiter.acquire(client) {
                    limiter.release()
                    refuse(fd)
                    continue
                }
                admit(Admitted(fd: fd, remote: remote, client: client))
            }
        }
    }

    /// Gives back the places an admitted connection held.
    func release(client: PeerAddress?) {
        limiter.release()
        if let client { addressLimiter.release(client) }
    }

    func resumeIfDue() {
        guard let due = resumeAt, MonotonicClock.milliseconds() >= due else { return }
        resumeAt = nil
        for (index, fd) in fds.enumerated() { epoll.modify(fd, events: EPOLLIN.rawValue, tag: Self.tag | UInt64(index)) }
    }

    func closeAll() {
        for fd in fds { Glibc.close(fd) }
    }

    private func refuse(_ fd: Int32) {
        stats.record(.connectionRefused)
        Glibc.close(fd)
    }

    private func rest() {
        guard resumeAt == nil else { return }
        resumeAt = MonotonicClock.milliseconds() + Self.restMillis
        for (index, fd) in fds.enumerated() { epoll.modify(fd, events: 0, tag: Self.tag | UInt64(index)) }
        stats.record(.acceptPaused)
    }
}

@available(*, unavailable)
extension Listeners: Sendable {}
