import NIOCore

/// Frames HTTP/1.x requests from raw bytes: the request line and the few headers the tracker acts
/// on (Connection, Accept-Encoding, Content-Length, Transfer-Encoding, and for trusted proxies
/// X-Forwarded-For and X-Real-IP). Bounded: a request line
/// over `maxRequestLine` or a head over `maxHeadBytes` is refused. Requests with a body are refused
/// (the tracker takes GET only). Pure: bytes in, a request (or a refusal) out, no I/O.
public struct HTTPRequestDecoder: Sendable {
    public let maxRequestLine: Int
    public let maxHeadBytes: Int

    public init(maxRequestLine: Int = 8192, maxHeadBytes: Int = 16384) {
        self.maxRequestLine = maxRequestLine
        self.maxHeadBytes = maxHeadBytes
    }

    /// Decodes one request if the buffer holds a whole head; consumes it.
    /// A refusal consumes everything: the connection is answered and closed.
    public func decodeOne(_ buffer: inout ByteBuffer) -> HTTPRequestPart? {
        let scan = buffer.withUnsafeReadableBytes { Self.scanHead($0, maxRequestLine: maxRequestLine, maxHeadBytes: maxHeadBytes) }
        switch scan {
        case .incomplete:
            return nil
        case .refused(let status):
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .malformed(status)
        case let .head(length, head):
            let target = buffer.getSlice(at: buffer.readerIndex + head.target.lowerBound, length: head.target.count)!
            buffer.moveReaderIndex(forwardBy: length)
            return .request(HTTPRequest(method: head.method, target: target, isHTTP11: head.isHTTP11,
                                        keepAlive: head.keepAlive, acceptsGzip: head.acceptsGzip,
                                        forwardedFor: head.forwardedFor, realIP: head.realIP))
        }
    }

    struct Head {
        var method: HTTPRequest.Method
        var target: Range<Int>
        var isHTTP11: Bool
        var keepAlive: Bool
        var acceptsGzip: Bool
        var forwardedFor: [UInt8]? = nil
        var realIP: [UInt8]? = nil
    }

    enum Scan {
        case incomplete
        case refused(HTTPStatus)
        case head(length: Int, Head)
    }

    /// Finds the end of the head (an empty line) and parses it; all positions are offsets into `bytes`.
    static func scanHead(_ bytes: UnsafeRawBufferPointer, maxRequestLine: Int, maxHeadBytes: Int) -> Scan {
        // Request line.
        guard let lineEnd = bytes.firstIndex(of: UInt8(ascii: "\n")) else {
            return bytes.count > maxRequestLine ? .refused(.uriTooLong) : .incomplete
        }
        if lineEnd > maxRequestLine { return .refused(.uriTooLong) }
        // Head end: the first empty line after the request line.
        var index = lineEnd + 1
        var headEnd = -1
        var headerCount = 0
        while index < bytes.count {
            guard let nl = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            let end = lineContentEnd(bytes, from: index, newline: nl)
            if end == index { headEnd = nl + 1; break }
            headerCount += 1
            if headerCount > 100 { return .refused(.headersTooLarge) }
            index = nl + 1
        }
        if headEnd < 0 {
            return bytes.count > maxHeadBytes ? .refused(.headersTooLarge) : .incomplete
        }
        if headEnd > maxHeadBytes { return .refused(.headersTooLarge) }

        guard var head = parseRequestLine(bytes, 0..<lineContentEnd(bytes, from: 0, newline: lineEnd)) else {
            return .refused(.badRequest)
        }
        var connectionClose = false, connectionKeepAlive = false
        index = lineEnd + 1
        while true {
            let nl = bytes[index...].firstIndex(of: UInt8(ascii: "\n"))!
            let line = index..<lineContentEnd(bytes, from: index, newline: nl)
            index = nl + 1
            if line.isEmpty { break }
            guard let colon = bytes[line].firstIndex(of: UInt8(ascii: ":")), colon > line.lowerBound else {
                return .refused(.badRequest)
            }
            let name = line.lowerBound..<colon
            var valueStart = colon + 1
            while valueStart < line.upperBound, bytes[valueStart] == UInt8(ascii: " ") || bytes[valueStart] == UInt8(ascii: "\t") {
                valueStart += 1
            }
            let value = valueStart..<line.upperBound
            if bytes.equalsIgnoringCase(name, "connection") {
                if bytes.containsIgnoringCase(value, "close") { connectionClose = true }
                if bytes.containsIgnoringCase(value, "keep-alive") { connectionKeepAlive = true }
            } else if bytes.equalsIgnoringCase(name, "accept-encoding") {
                if bytes.containsIgnoringCase(value, "gzip") { head.acceptsGzip = true }
            } else if bytes.equalsIgnoringCase(name, "content-length") {
                if !(value.count == 1 && bytes[value.lowerBound] == UInt8(ascii: "0")) { return .refused(.payloadTooLarge) }
            } else if bytes.equalsIgnoringCase(name, "transfer-encoding") {
                return .refused(.payloadTooLarge)
            } else if bytes.equalsIgnoringCase(name, "x-forwarded-for") {
                // Several headers make one list, in order (RFC 9110, 5.3).
                head.forwardedFor = (head.forwardedFor.map { $0 + [UInt8(ascii: ",")] } ?? []) + Array(bytes[value])
            } else if bytes.equalsIgnoringCase(name, "x-real-ip") {
                head.realIP = Array(bytes[value])
            }
        }
        head.keepAlive = head.isHTTP11 ? !connectionClose : (connectionKeepAlive && !connectionClose)
        return .head(length: headEnd, head)
    }

    /// Where a line's content ends: before the `\r` of a CRLF, or at the bare `\n`.
    private static func lineContentEnd(_ bytes: UnsafeRawBufferPointer, from start: Int, newline: Int) -> Int {
        newline > start && bytes[newline - 1] == UInt8(ascii: "\r") ? newline - 1 : newline
    }

    private static func parseRequestLine(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) -> Head? {
        guard let firstSpace = bytes[line].firstIndex(of: UInt8(ascii: " ")) else { return nil }
        let afterMethod = firstSpace + 1
        guard let secondSpace = bytes[afterMethod..<line.upperBound].firstIndex(of: UInt8(ascii: " ")) else { return nil }
        let method: HTTPRequest.Method
        if bytes.matches(line.lowerBound..<firstSpace, "GET") {
            method = .get
        } else if bytes.matches(line.lowerBound..<firstSpace, "HEAD") {
            method = .head
        } else {
            method = .other
        }
        let target = afterMethod..<secondSpace
        guard !target.isEmpty, bytes[target.lowerBound] == UInt8(ascii: "/") else { return nil }
        let version = (secondSpace + 1)..<line.upperBound
        let isHTTP11: Bool
        if bytes.matches(version, "HTTP/1.1") {
            isHTTP11 = true
        } else if bytes.matches(version, "HTTP/1.0") {
            isHTTP11 = false
        } else {
            return nil
        }
        return Head(method: method, target: target, isHTTP11: isHTTP11, keepAlive: isHTTP11, acceptsGzip: false)
    }
}

extension UnsafeRawBufferPointer {
    /// ASCII case-insensitive equality of `range` with a lowercase literal.
    func equalsIgnoringCase(_ range: Range<Int>, _ lowercase: StaticString) -> Bool {
        guard range.count == lowercase.utf8CodeUnitCount else { return false }
        let lit = lowercase.utf8Start
        for i in 0..<range.count where self[range.lowerBound + i] | 0x20 != lit[i] | 0x20 {
            return false
        }
        return true
    }

    /// Whether `range` contains a lowercase literal, ASCII case-insensitively.
    func containsIgnoringCase(_ range: Range<Int>, _ lowercase: StaticString) -> Bool {
        let n = lowercase.utf8CodeUnitCount
        guard range.count >= n else { return false }
        for start in range.lowerBound...(range.upperBound - n) where equalsIgnoringCase(start..<(start + n), lowercase) {
            return true
        }
        return false
    }
}
