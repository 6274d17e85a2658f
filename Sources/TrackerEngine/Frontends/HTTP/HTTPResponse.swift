import NIOCore

/// Builds a whole HTTP response in one buffer: the body is written first after reserved headroom,
/// then the head is set just before it, so nothing is copied and only one buffer is allocated.
public struct HTTPResponse {
    static let headroom = 192
    public private(set) var buffer: ByteBuffer
    private let bodyStart: Int

    public init(allocator: ByteBufferAllocator, bodyCapacity: Int = 256) {
        buffer = allocator.buffer(capacity: Self.headroom + bodyCapacity)
        buffer.moveWriterIndex(forwardBy: Self.headroom)
        buffer.moveReaderIndex(forwardBy: Self.headroom)
        bodyStart = Self.headroom
    }

    /// The body goes here.
    public var body: ByteBuffer {
        get { buffer }
        _modify { yield &buffer }
    }

    /// Sets the head before the body and returns the bytes to send.
    public mutating func finish(status: HTTPStatus, contentType: StaticString = "text/plain", keepAlive: Bool,
                                isHTTP11: Bool, gzip: Bool = false) -> ByteBuffer {
        let bodyLength = buffer.writerIndex - bodyStart
        let connection: StaticString
        switch (keepAlive, isHTTP11) {
        case (false, _): connection = "Connection: close\r\n"
        case (true, false): connection = "Connection: keep-alive\r\n"
        case (true, true): connection = ""
        }
        let encoding: StaticString = gzip ? "Content-Encoding: gzip\r\n" : ""
        let digits = ASCIIDecimal.digitCount(UInt64(bodyLength))
        let headLength = status.line.utf8CodeUnitCount + "Content-Type: ".utf8.count + contentType.utf8CodeUnitCount
            + "\r\nContent-Length: ".utf8.count + digits + 2 + connection.utf8CodeUnitCount
            + encoding.utf8CodeUnitCount + 2
        precondition(headLength <= Self.headroom, "HTTP head larger than its headroom")
        var at = bodyStart - headLength
        let headStart = at
        at += buffer.setStaticString(status.line, at: at)
        at += buffer.setStaticString("Content-Type: ", at: at)
        at += buffer.setStaticString(contentType, at: at)
        at += buffer.setStaticString("\r\nContent-Length: ", at: at)
        at += ASCIIDecimal.withDigits(UInt64(bodyLength)) { buffer.setBytes($0, at: at) }
        at += buffer.setStaticString("\r\n", at: at)
        at += buffer.setStaticString(connection, at: at)
        at += buffer.setStaticString(encoding, at: at)
        at += buffer.setStaticString("\r\n", at: at)
        buffer.moveReaderIndex(to: headStart)
        return buffer
    }

    /// A whole response with a fixed body.
    public static func make(status: HTTPStatus, body: String, contentType: StaticString = "text/plain",
                            keepAlive: Bool, isHTTP11: Bool, allocator: ByteBufferAllocator) -> ByteBuffer {
        var response = HTTPResponse(allocator: allocator, bodyCapacity: body.utf8.count)
        response.body.writeString(body)
        return response.finish(status: status, contentType: contentType, keepAlive: keepAlive, isHTTP11: isHTTP11)
    }
}
