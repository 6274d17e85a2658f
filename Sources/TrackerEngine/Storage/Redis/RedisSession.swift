/// A live connection with the key layout checked and the scripts loaded: what store threads
/// and lanes use. It is the one place that recovers from a server that forgot the scripts
/// (`SCRIPT FLUSH`, a restart without persistence): `rerunForgotten` loads them again and runs
/// again exactly the calls that met NOSCRIPT (the others already ran: running them twice would
/// count twice).
final class RedisSession {
    let connection: RedisConnection
    let keys: RedisKeys
    /// Each script's SHA, in `RedisScript.allCases` order.
    private var shas: [[UInt8]] = []

    init(connection: RedisConnection, keys: RedisKeys) throws {
        self.connection = connection
        self.keys = keys
        try RedisLayout.upgrade(connection, keys: keys)
        try loadScripts()
    }

    private func loadScripts() throws {
        var loaded: [[UInt8]] = []
        for script in RedisScript.allCases {
            let reply = try connection.command(["SCRIPT", "LOAD", script.source])
            guard let sha = reply.bytes else {
                throw RedisConnection.Failure(description: "SCRIPT LOAD \(script): \(reply.errorMessage ?? "unexpected reply")")
            }
            loaded.append(sha)
        }
        shas = loaded
    }

    /// Starts a call of `script` on one swarm: `EVALSHA sha 1 <lifecycle key>`, then
    /// `argumentCount` arguments that the caller writes next.
    func writeCall(_ script: RedisScript, swarm base: [UInt8], argumentCount: Int, into writer: inout RESPWriter) {
        writer.command(4 + argumentCount)
        writer.bulk("EVALSHA")
        writer.bulk(shas[script.rawValue])
        writer.bulk("1")
        writer.bulk(base, RedisKeys.lifecycleSuffix)
    }

    /// Sends every command the writer holds, then reads every reply: one round trip.
    func pipeline(_ writer: RESPWriter) throws -> [RedisReply] {
        try connection.appendEncoded(writer.bytes[...])
        var replies = try (0..<writer.commands).map { _ in try connection.readReply() }
        let forgotten = replies.indices.filter { replies[$0].isNoScript }
        for (i, reply) in zip(forgotten, try rerunForgotten(forgotten, of: writer)) { replies[i] = reply }
        return replies
    }

    /// Commands given as argument lists, one round trip.
    func pipeline(_ commands: [[[UInt8]]]) throws -> [RedisReply] {
        var writer = RESPWriter()
        for command in commands { writer.command(command) }
        return try pipeline(writer)
    }

    /// Loads the scripts again and runs the writer's commands at `indices` again (calls that met
    /// NOSCRIPT, every other reply of their round already read), in one round trip; their new replies.
    func rerunForgotten(_ indices: [Int], of writer: RESPWriter) throws -> [RedisReply] {
        guard !indices.isEmpty else { return [] }
        try loadScripts()
        for i in indices { try connection.appendEncoded(writer.command(at: i)) }
        return try indices.map { _ in try connection.readReply() }
    }
}

@available(*, unavailable)
extension RedisSession: Sendable {}
