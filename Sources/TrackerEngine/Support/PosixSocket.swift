import CLinuxNet
import Glibc

/// The few socket calls the front end makes, with errors as values. Linux only.
enum PosixSocket {
    struct Failure: Error, CustomStringConvertible {
        let call: String
        let errno: Int32
        var description: String { "\(call): \(String(cString: strerror(errno))) (errno \(errno))" }
    }

    /// A non-blocking TCP listener on `address`, sharing its port with the other workers
    /// (SO_REUSEPORT: the kernel spreads connections), accepting only once data has arrived
    /// (TCP_DEFER_ACCEPT), IPv6 sockets IPv6-only. `port` overrides the address's port
    /// (so every worker binds the port the first one got for port 0).
    static func listener(_ address: ListenAddress, port: Int, backlog: Int32 = 4096) throws -> Int32 {
        try bound(address, port: port, type: SOCK_STREAM) { fd in
            try setOption(fd, Int32(IPPROTO_TCP), TCP_DEFER_ACCEPT, 5)
            guard listen(fd, backlog) == 0 else { throw Failure(call: "listen \(address)", errno: errno) }
        }
    }

    /// A non-blocking UDP socket bound to `address`, sharing its port with the other workers
    /// (SO_REUSEPORT: the kernel spreads datagrams by source), with buffers of `bufferBytes`
    /// each way (capped by net.core.rmem_max / wmem_max unless the process may pass the cap), and
    /// the kernel's count of dropped datagrams reported with what is received.
    static func datagramSocket(_ address: ListenAddress, port: Int, bufferBytes: Int32 = 4 << 20) throws -> Int32 {
        try bound(address, port: port, type: SOCK_DGRAM) { fd in
            // Beyond the system's cap (net.core.rmem_max) where allowed (root): a burst of
            // announces waits in the buffer instead of being dropped.
            if (try? setOption(fd, SOL_SOCKET, SO_RCVBUFFORCE, bufferBytes)) == nil { try setOption(fd, SOL_SOCKET, SO_RCVBUF, bufferBytes) }
            if (try? setOption(fd, SOL_SOCKET, SO_SNDBUFFORCE, bufferBytes)) == nil { try setOption(fd, SOL_SOCKET, SO_SNDBUF, bufferBytes) }
            guard clinuxnet_enable_drop_count(fd) == 0 else { throw Failure(call: "setsockopt(SO_RXQ_OVFL)", errno: errno) }
        }
    }

    /// A socket of `type` bound to `address` (SO_REUSEADDR, SO_REUSEPORT, IPv6-only for IPv6),
    /// then `configure`d; closed again when anything fails.
    private static func bound(_ address: ListenAddress, port: Int, type: __socket_type, configure: (Int32) throws -> Void) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(type.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(address.host, String(port), &hints, &result)
        guard status == 0, let info = result else {
            throw Failure(call: "getaddrinfo(\(address.host))", errno: status == EAI_SYSTEM ? errno : EINVAL)
        }
        defer { freeaddrinfo(info) }
        let fd = socket(info.pointee.ai_family, Int32(type.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(call: "socket", errno: errno) }
        do {
            try setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
            try setOption(fd, SOL_SOCKET, SO_REUSEPORT, 1)
            if info.pointee.ai_family == AF_INET6 { try setOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 1) }
            guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else { throw Failure(call: "bind \(address)", errno: errno) }
            try configure(fd)
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) throws {
        var v = value
        guard setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw Failure(call: "setsockopt(\(name))", errno: errno)
        }
    }

    /// The port a bound socket got.
    static func localPort(_ fd: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard ok == 0 else { return nil }
        let family = Int32(storage.ss_family)
        return withUnsafeBytes(of: &storage) { raw in
            switch family {
            case AF_INET: return Int(UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port))
            case AF_INET6: return Int(UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port))
            default: return nil
            }
        }
    }

    enum Accepted {
        /// The new socket and its peer's address.
        case connection(Int32, sockaddr_storage)
        case wouldBlock
        case failed(Int32)
    }

    static func accept(_ listener: Int32) -> Accepted {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                clinuxnet_accept4(listener, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
            }
        }
        if fd >= 0 { return .connection(fd, storage) }
        return errno == EAGAIN || errno == EWOULDBLOCK ? .wouldBlock : .failed(errno)
    }
}
