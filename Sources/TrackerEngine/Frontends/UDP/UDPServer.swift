import Glibc

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
        var perWorker = [[Int32]](repeating: [], count: threads)
        var bound: [ListenAddress] = []
        do {
            for address in addresses {
                do {
                    let first = try PosixSocket.datagramSocket(address, port: address.port)
                    let port = PosixSocket.localPort(first) ?? address.port
                    perWorker[0].append(first)
                    for worker in 1..<threads {
                        perWorker[worker].append(try PosixSocket.datagramSocket(address, port: port))
                    }
                    bound.append(ListenAddress(host: address.host, port: port))
                } catch where optionalIPv6 && address.isIPv6 {
                    skipped(address, error)
                }
            }
            guard !bound.isEmpty else { throw ListenError.nothingToListenOn }
        } catch {
            perWorker.joined().forEach { _ = Glibc.close($0) }
            throw error
        }
        let responder = self.responder
        for sockets in perWorker {
            workers.start("trackertui-udp") { workers in
                UDPWorker(sockets: sockets, responder: responder).run(until: workers)
            }
        }
        return bound
    }

    /// Stops the workers (their sockets closed) and waits for them, at most `timeout` seconds.
    public func stop(timeout: Double = 5) {
        workers.stop(timeout: timeout)
    }
}
