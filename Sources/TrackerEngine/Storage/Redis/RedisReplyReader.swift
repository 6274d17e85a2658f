import CHiredis

/// hiredis's reply reader over bytes in memory, with the member sink installed as on a
/// connection: what turns a Redis server's bytes into `RedisReply` values, without a socket.
/// For fuzzing and tests of the reading path (a connection's reader is the same code).
public final class RedisReplyReader {
    private let sink = RedisMemberSink()
    private let reader: UnsafeMutablePointer<redisReader>

    public init() {
        guard let reader = chiredis_sink_reader_create(sink.pointer) else { fatalError("out of memory creating a Redis reader") }
        self.reader = reader
    }

    deinit {
        redisReaderFree(reader)
    }

    public struct ProtocolError: Error {}

    public func feed(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        _ = redisReaderFeed(reader, base.assumingMemoryBound(to: CChar.self), bytes.count)
    }

    /// The next whole reply; nil when more bytes are needed.
    public func next() throws(ProtocolError) -> RedisReply? {
        var raw: UnsafeMutableRawPointer?
        guard redisReaderGetReply(reader, &raw) == REDIS_OK else { throw ProtocolError() }
        guard let raw else { return nil }
        defer { freeReplyObject(raw) }
        return RedisReply(UnsafePointer(raw.assumingMemoryBound(to: redisReply.self)))
    }

    /// The members of `size` bytes of the next reply, read through the sink as samples are;
    /// nil when more bytes are needed or the reply was not an array.
    public func nextMembers(size: Int) throws(ProtocolError) -> [UInt8]? {
        switch sink.read(memberSize: size, { redisReaderGetReply(reader, $0) }) {
        case .members(let bytes): return Array(bytes)
        case .other, .incomplete: return nil
        case .failed: throw ProtocolError()
        }
    }
}
