#if canImport(Glibc)
import Glibc
#endif

/// Builds the socket address for a numeric host (IPv6 when it has a colon) and port, and calls
/// `body` with it: what the test clients need to bind or connect.
public func withSocketAddress<R>(host: String, port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
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
public func boundPort(_ fd: Int32) -> Int? {
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

public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public enum FreePort {
    /// Asks the kernel for a free port on `host` (bind to port 0, read it back, close).
    public static func find(host: String = "127.0.0.1") throws -> Int {
        let fd = socket(host.contains(":") ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket() failed") }
        defer { close(fd) }
        guard withSocketAddress(host: host, port: 0, { bind(fd, $0, $1) }) == 0, let port = boundPort(fd) else {
            throw TestSetupError("bind \(host):0 failed")
        }
        return port
    }
}
