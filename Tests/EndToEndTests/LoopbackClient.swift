import Foundation
import TrackerTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP client on loopback for tests: sends exactly the bytes given, reads HTTP
/// responses by Content-Length, and can tell whether the server closed. Every read has a timeout.
final class LoopbackClient {
    let fd: Int32
    private var received: [UInt8] = []

    struct Response {
        var status: Int
        var head: String
        var body: [UInt8]
    }

    /// `source`: the IPv4 loopback address to connect from (127.x.y.z: the whole block is local),
    /// else the kernel's choice.
    init(host: String = "127.0.0.1", port: Int, timeoutSeconds: Int = 5, source: String? = nil) throws {
        fd = socket(host.contains(":") ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw E2EError("socket() failed") }
        if let source { try Self.bind(fd, to: source) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withSocketAddress(host: host, port: port) { connect(fd, $0, $1) }
        // No close here: a class whose initializer throws once every property is set runs its
        // deinit, which closes `fd`. Closing it twice closed whatever socket of another test had
        // been given the same number meanwhile (the "0 bytes" and EBADF reads seen under load).
        guard connected == 0 else { throw E2EError("connect to \(host):\(port) failed") }
    }

    deinit { close(fd) }

    /// Binds `fd` to an IPv4 address, any port.
    static func bind(_ fd: Int32, to source: String) throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        guard inet_pton(AF_INET, source, &address.sin_addr) == 1 else { throw E2EError("not an IPv4 address: \(source)") }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw E2EError("bind to \(source) failed: errno \(errno)") }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw E2EError("send failed") }
            sent += n
        }
    }

    /// No more requests: the server sees end of input.
    func finishSending() { shutdown(fd, Int32(SHUT_WR)) }

    /// Reads until one whole response is in (or the server closes, or the timeout passes).
    func readResponse() throws -> Response {
        while true {
            if let response = takeResponse() { return response }
            guard readMore() else {
                throw E2EError("connection ended (\(lastReadEnding)) with \(received.count) bytes and no whole response")
            }
        }
    }

    /// Whether the server closed the connection (reads until end of input or timeout).
    func serverClosed() -> Bool {
        while readMore() {}
        return lastReadWasEnd
    }

    private var lastReadWasEnd = false

    /// How the last read that got no bytes ended, for failure messages.
    private var lastReadEnding = ""

    private func readMore() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        let code = errno
        // A server that closes with our bytes unread resets the connection instead of ending it.
        lastReadWasEnd = n == 0 || (n < 0 && code == ECONNRESET)
        lastReadEnding = n == 0 ? "end of input" : n > 0 ? "" : code == ECONNRESET ? "reset by the server"
            : code == EAGAIN || code == EWOULDBLOCK ? "read timeout" : "recv errno \(code)"
        guard n > 0 else { return false }
        received += chunk[0..<n]
        return true
    }

    private func takeResponse() -> Response? {
        guard let split = received.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let head = String(decoding: received[..<split.lowerBound], as: UTF8.self)
        let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        guard received.count >= split.upperBound + length else { return nil }
        let body = Array(received[split.upperBound..<(split.upperBound + length)])
        received.removeFirst(split.upperBound + length)
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        return Response(status: status, head: head, body: body)
    }
}
