import Glibc

/// The sockets of a front end's workers: each address bound once per worker on the same port
/// (SO_REUSEPORT), the port of a `:0` address resolved by the first bind.
struct WorkerSockets {
    /// Each worker's sockets, one per address bound.
    var perWorker: [[Int32]]
    /// The addresses bound, ports resolved.
    var bound: [ListenAddress]

    /// Binds every address `workers` times with `open` (an IPv6 one that cannot be bound is
    /// skipped, and told to `skipped`, when `optionalIPv6`); on failure closes what it opened.
    static func bind(_ addresses: [ListenAddress], workers: Int, optionalIPv6: Bool, skipped: (ListenAddress, Error) -> Void,
                     open: (ListenAddress, Int) throws -> Int32) throws -> WorkerSockets {
        var sockets = WorkerSockets(perWorker: [[Int32]](repeating: [], count: workers), bound: [])
        do {
            for address in addresses {
                do {
                    let first = try open(address, address.port)
                    let port = PosixSocket.localPort(first) ?? address.port
                    sockets.perWorker[0].append(first)
                    for worker in 1..<workers {
                        sockets.perWorker[worker].append(try open(address, port))
                    }
                    sockets.bound.append(ListenAddress(host: address.host, port: port))
                } catch where optionalIPv6 && address.isIPv6 {
                    skipped(address, error)
                }
            }
            guard !sockets.bound.isEmpty else { throw ListenError.nothingToListenOn }
        } catch {
            sockets.perWorker.joined().forEach { _ = Glibc.close($0) }
            throw error
        }
        return sockets
    }
}

public enum ListenError: Error, CustomStringConvertible {
    case nothingToListenOn

    public var description: String {
        switch self {
        case .nothingToListenOn: return "no address could be bound"
        }
    }
}
