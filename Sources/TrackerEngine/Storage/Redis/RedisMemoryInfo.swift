import Foundation

/// The two figures of `INFO memory` that say whether Redis is at its bound.
struct RedisMemoryInfo: Equatable {
    var usedBytes: Int64?
    var maxBytes: Int64?

    init(_ reply: [UInt8]) {
        for line in reply.split(separator: UInt8(ascii: "\n")) {
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if text.hasPrefix("used_memory:") { usedBytes = Int64(text.dropFirst("used_memory:".count)) }
            if text.hasPrefix("maxmemory:") { maxBytes = Int64(text.dropFirst("maxmemory:".count)) }
        }
    }

    /// Within 1 % of a set `maxmemory` (0 means none): writes that need memory are refused there.
    var isFull: Bool {
        guard let usedBytes, let maxBytes, maxBytes > 0 else { return false }
        return usedBytes >= maxBytes - maxBytes / 100
    }
}
