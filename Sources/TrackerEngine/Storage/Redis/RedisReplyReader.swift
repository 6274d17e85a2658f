import CHiredis

/// hiredis's reply reader over bytes in memory, with the member sink installed as on a
/// connection: what turns a Redis server's bytes into `RedisReply` values, without a socket.
/// For fuzzing and tests of the reading path (a connection's reader is the same code).
public final class RedisReplyReader {
    private let reader: UnsafeMutablePointer<redisReader>
    private let sink: UnsafeMutablePointer<chiredis_sink>

    public init() {
        reader = redisReaderCreate()
        sink = UnsafeMutablePointer<chiredis_sink>.allocate(capacity: 1)
        sink.initialize(to: chiredis_sink())
        chiredis_sink_install_reader(reader, sink)
    }

    deinit {
        redisReaderFree(reader)
        free(sink.pointee.bytes)
        sink.deallocate()
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
        sink.pointee.active = 1
        sink.pointee.used = 0
        sink.pointee.member_size = size
        defer { sink.pointee.active = 0 }
        var raw: UnsafeMutableRawPointer?
        guard redisReaderGetReply(reader, &raw) == REDIS_OK else { throw ProtocolError() }
        guard let raw else { return nil }
        guard raw == UnsafeMutableRawPointer(sink) else {
            freeReplyObject(raw)
            return nil
        }
        return Array(UnsafeRawBufferPointer(start: sink.pointee.bytes, count: sink.pointee.used))
    }
}
