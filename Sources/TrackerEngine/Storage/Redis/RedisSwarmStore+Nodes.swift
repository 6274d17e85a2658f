/// Engines sharing one Redis report themselves there every second, so a dashboard attached to
/// that Redis can show them all: `<prefix>:nodes` (ZSET id → last report, ms) lists them and
/// `<prefix>:node:<id>` (HASH, expires after 30 s) holds each one's counters.
extension RedisSwarmStore: NodeRegistry {
    /// A node silent for longer than this is no longer shown.
    static let nodeSilenceMillis: Int64 = 10_000

    public func report(_ node: NodeReport, now: TrackerTime) async throws(StoreError) {
        _ = try await withSession { session in
            let key = session.keys.node(node.id)
            return try session.pipeline([
                [Array("HSET".utf8), Array(key.utf8)] + node.fields.flatMap { [Array($0.0.utf8), Array($0.1.utf8)] },
                ["EXPIRE", key, "30"].map { Array($0.utf8) },
                ["ZADD", session.keys.nodes, String(now.milliseconds), node.id].map { Array($0.utf8) },
                ["ZREMRANGEBYSCORE", session.keys.nodes, "-inf", String(now.milliseconds - 60_000)].map { Array($0.utf8) },
            ])
        }
    }

    /// Every node that reported in the last ten seconds.
    public func liveNodes(now: TrackerTime) async throws(StoreError) -> [NodeReport] {
        try await withSession { session in
            let ids = try session.connection.command(["ZRANGEBYSCORE", session.keys.nodes, String(now.milliseconds - Self.nodeSilenceMillis), "+inf"])
            let names = (ids.array ?? []).compactMap { $0.bytes.map { String(decoding: $0, as: UTF8.self) } }
            guard !names.isEmpty else { return [] }
            let hashes = try session.pipeline(names.map { [Array("HGETALL".utf8), Array(session.keys.node($0).utf8)] })
            return zip(names, hashes).compactMap { id, reply in
                let items = (reply.array ?? []).map { String(decoding: $0.bytes ?? [], as: UTF8.self) }
                var fields: [String: String] = [:]
                for i in stride(from: 0, to: items.count - 1, by: 2) { fields[items[i]] = items[i + 1] }
                return NodeReport(id: id, fields: fields)
            }
        }
    }
}
