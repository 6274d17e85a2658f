import CLinuxNet
import Glibc

/// The HTTP front end: one `EpollWorker` thread per core, each with its own listening socket per
/// address (SO_REUSEPORT). Linux only. See docs/ARCHITECTURE.md for why this is not SwiftNIO.
public final class EpollHTTPServer: Sendable {
    public let limits: HTTPServerLimits
    public let threads: Int
    private let responder: HTTPResponder
    private let limiter: ConnectionLimiter
    private let addressLimiter: AddressConnectionLimiter
    private let mailboxes: Locked<[Mailbox]> = Locked([])
    private let workers = ThreadGroup()

    public init(responder: HTTPResponder, limits: HTTPServerLimits = HTTPServerLimits(), threads: Int) {
        self.responder = responder
        self.limits = limits
        self.threads = max(1, threads)
        self.limiter = ConnectionLimiter(maximum: limits.maxConnections)
        self.addressLimiter = AddressConnectionLimiter(maximum: limits.maxConnectionsPerAddress, exempt: limits.exemptFromPerAddressLimit)
    }

    /// Connections open now.
    public var openConnections: Int { limiter.current }

    /// Binds every address (an IPv6 one that cannot be bound is skipped when `optionalIPv6`),
    /// starts the workers, and returns the addresses bound, ports resolved.
    @discardableResult
    public func start(_ addresses: [ListenAddress], optionalIPv6: Bool = false,
                      skipped: (ListenAddress, Error) -> Void = { _, _ in }) throws -> [ListenAddress] {
        let sockets = try WorkerSockets.bind(addresses, workers: threads, optionalIPv6: optionalIPv6, skipped: skipped) {
            try PosixSocket.listener($0, port: $1)
        }
        let decoder = HTTPRequestDecoder(maxRequestLine: limits.maxRequestLine, maxHeadBytes: limits.maxHeadBytes)
        let workerLimits = EpollWorker.Limits(idleTimeoutSeconds: UInt32(clamping: limits.idleTimeoutSeconds),
                                              headTimeoutSeconds: UInt32(clamping: limits.headTimeoutSeconds),
                                              maxBufferedBytes: limits.maxHeadBytes * limits.maxPipelined,
                                              maxUnsentBytes: limits.maxUnsentBytes)
        var made: [Mailbox] = []
        for listeners in sockets.perWorker {
            let mailbox = try Mailbox()
            let epfd = epoll_create1(Int32(EPOLL_CLOEXEC))
            guard epfd >= 0 else { throw PosixSocket.Failure(call: "epoll_create1", errno: errno) }
            made.append(mailbox)
            let responder = self.responder, limiter = self.limiter, addressLimiter = self.addressLimiter
            workers.start("trackertui-http") { workers in
                let worker = EpollWorker(epfd: epfd, listeners: listeners, mailbox: mailbox, responder: responder,
                                         limiter: limiter, addressLimiter: addressLimiter, decoder: decoder, limits: workerLimits)
                worker.run(until: workers)
            }
        }
        mailboxes.value = made
        return sockets.bound
    }

    /// Stops accepting, closes every connection and waits (at most `timeout` seconds) for the workers.
    public func stop(timeout: Double = 5) {
        workers.stop(timeout: timeout) {
            for mailbox in mailboxes.value { mailbox.wake() }
        }
    }
}
