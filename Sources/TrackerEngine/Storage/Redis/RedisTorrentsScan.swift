extension RedisConnection {
    /// Walks the torrents set with ZSCAN, 256 members a page (never the whole set in one reply),
    /// handing each page's hex info-hashes to `page`. Sweeps and the layout upgrade go this way.
    func scanTorrents(_ keys: RedisKeys, page: ([String]) throws -> Void) throws {
        var cursor = "0"
        repeat {
            let reply = try command(["ZSCAN", keys.torrents, cursor, "COUNT", "256"])
            guard let parts = reply.array, parts.count == 2, let next = parts[0].bytes, let members = parts[1].array else {
                throw Failure(description: "unexpected ZSCAN reply: \(reply.errorMessage ?? "\(reply)")")
            }
            cursor = String(decoding: next, as: UTF8.self)
            try page(stride(from: 0, to: members.count, by: 2).compactMap { members[$0].bytes.map { String(decoding: $0, as: UTF8.self) } })
        } while cursor != "0"
    }
}
