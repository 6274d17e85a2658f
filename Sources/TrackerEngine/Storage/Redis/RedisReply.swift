import CHiredis

/// A RESP2 reply, copied out of hiredis's memory.
public enum RedisReply: Sendable, Equatable {
    case string([UInt8])
    case status(String)
    case integer(Int64)
    case array([RedisReply])
    case null
    case error(String)

    init(_ reply: UnsafePointer<redisReply>) {
        let r = reply.pointee
        switch r.type {
        case REDIS_REPLY_STRING:
            self = .string(r.len > 0 ? Array(UnsafeRawBufferPointer(start: r.str, count: Int(r.len))) : [])
        case REDIS_REPLY_STATUS:
            self = .status(String(cString: r.str))
        case REDIS_REPLY_ERROR:
            self = .error(String(cString: r.str))
        case REDIS_REPLY_INTEGER:
            self = .integer(r.integer)
        case REDIS_REPLY_ARRAY:
            self = .array((0..<r.elements).map { RedisReply(UnsafePointer(chiredis_element(reply, $0)!)) })
        default:
            self = .null
        }
    }

    public var integer: Int64? {
        if case .integer(let v) = self { return v }
        if case .string(let b) = self { return Int64(String(decoding: b, as: UTF8.self)) }
        return nil
    }

    public var bytes: [UInt8]? {
        if case .string(let b) = self { return b }
        return nil
    }

    public var array: [RedisReply]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var errorMessage: String? {
        if case .error(let m) = self { return m }
        return nil
    }

    /// The server is at its `maxmemory` and refuses writes (`noeviction`).
    var isOutOfMemory: Bool {
        errorMessage?.hasPrefix("OOM") == true
    }

    /// The server did not know the script called (after a restart without it or SCRIPT FLUSH).
    var isNoScript: Bool {
        errorMessage?.hasPrefix("NOSCRIPT") == true
    }
}
