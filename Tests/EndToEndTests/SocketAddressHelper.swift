#if canImport(Glibc)
import Glibc
#endif

/// Builds the socket address for a numeric host (IPv6 when it has a colon) and port, and calls
/// `body` with it: what the test clients need to bind or connect.
func withSocketAddress<R>(host: String, port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
    if host.contains(":") {
        var addr = sockaddr_in6()
        addr.sin6_family = sa_family_t(AF_INET6)
        addr.sin6_port = UInt16(port).bigEndian
        inet_pton(AF_INET6, host, &addr.sin6_addr)
        return withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
    }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = UInt16(port).bigEndian
    inet_pton(AF_INET, host, &addr.sin_addr)
    return withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
}

/// The local port of a bound socket.
func boundPort(_ fd: Int32) -> Int? {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let ok = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    guard ok == 0 else { return nil }
    let family = Int32(storage.ss_family)
    return withUnsafeBytes(of: &storage) { raw -> Int in
        family == AF_INET6
            ? Int(UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port))
            : Int(UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port))
    }
}
