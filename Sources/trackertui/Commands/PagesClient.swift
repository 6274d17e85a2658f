import Foundation
import Glibc
import TrackerEngine

/// Asks a running tracker's `/stats.json`: how the admin commands read the memory store's
/// swarms, which live in the tracker's process. One GET on its own connection, the answer read
/// to its end (bounded in time and size).
struct PagesClient {
    let address: ListenAddress
    static let timeoutSeconds = 10
    static let maxAnswerBytes = 64 << 20

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The JSON object at `path`; nil when the tracker answers 404 (no such torrent); otherwise
    /// a failure that says what went wrong.
    func json(_ path: String) throws -> [String: Any]? {
        let (status, body) = try get(path)
        if status == 404 { return nil }
        guard status == 200 else {
            let reason = status == 403 ? " (this host is not in its --stats-allow)" : ""
            throw Failure(description: "http://\(address)\(path): HTTP \(status)\(reason)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw Failure(description: "http://\(address)\(path): not a JSON object")
        }
        return object
    }

    private func get(_ path: String) throws -> (status: Int, body: [UInt8]) {
        let fd = try connect()
        defer { close(fd) }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: \(address)\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else {
            throw Failure(description: "\(address): \(String(cString: strerror(errno)))")
        }
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while answer.count < Self.maxAnswerBytes {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            guard n > 0 else { throw Failure(description: "\(address): \(errno == EAGAIN ? "no answer in \(Self.timeoutSeconds) s" : String(cString: strerror(errno)))") }
            answer += chunk[..<n]
        }
        let separator = Array("\r\n\r\n".utf8)
        guard let end = answer.firstRange(of: separator),
              let statusLine = answer[..<end.lowerBound].split(separator: UInt8(ascii: "\r")).first,
              let status = statusLine.split(separator: UInt8(ascii: " ")).dropFirst().first.flatMap({ Int(String(decoding: $0, as: UTF8.self)) })
        else { throw Failure(description: "\(address): not an HTTP answer") }
        return (status, Array(answer[end.upperBound...]))
    }

    private func connect() throws -> Int32 {
        var hints = addrinfo()
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(address.host, String(address.port), &hints, &found) == 0, let info = found else {
            throw Failure(description: "\(address): not an address")
        }
        defer { freeaddrinfo(found) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: Self.timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "no tracker answers at \(address) (\(reason)): is it running?")
        }
        return fd
    }
}
