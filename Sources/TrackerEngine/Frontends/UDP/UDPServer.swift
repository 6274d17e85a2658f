/// The UDP front end: one `UDPWorker` thread per core, each with its own socket per address
/// (SO_REUSEPORT: the kernel spreads datagrams by source). Linux only.
public final class UDPServer: Sendable {
    public let threads: Int
    private let responder: UDPResponder
    private let workers = ThreadGroup()

    public init(responder: UDPResponder, threads: Int) {
        self.responder = responder
        self.threads = max(1, threads)
    }

    /// Binds every address (an IPv6 one that cannot be bound is skipped when `optionalIPv6`),
    /// starts the workers, and returns the addresses bound, ports resolved.
    @discardableResult
    public func start(_ addresses: [ListenAddress], optionalIPv6: Bool = false,
                      skipped: (ListenAddress, Error) -> Void = { _, _ in }) throws -> [ListenAddress] {
        let sockets = try WorkerSockets.bind(addresses, workers: threads, optionalIPv6: optionalIPv6, skipped: skipped) {
            try PosixSocket.datagramSocket($0, port: $1)
        }
        let responder = self.responder
        for socketsOfWorker in sockets.perWorker {
            workers.start("trackertui-udp") { workers in
                UDPWorker(sockets: socketsOfWorker, responder: responder).run(until: workers)
            }
        }
        return sockets.bound
    }

    /// Stops the workers (their sockets closed) and waits for them, at most `timeout` seconds.
    public func stop(timeout: Double = 5) {
        workers.stop(timeout: timeout)
    }
}
