/// A store thread's live connection with its scripts loaded, as handed to session jobs.
/// Script calls reload the scripts once if the server forgot them (NOSCRIPT).
final class RedisSession {
    let connection: RedisConnection
    let keys: RedisKeys
    private(set) var announceSHA: [UInt8] = []
    private(set) var sweepSHA: [UInt8] = []
    private(set) var countSHA: [UInt8] = []
    private(set) var kickSHA: [UInt8] = []

    init(connection: RedisConnection, keys: RedisKeys) throws {
        self.connection = connection
        self.keys = keys
        try RedisLayout.upgrade(connection, keys: keys)
        try loadScripts()
    }

    func loadScripts() throws {
        announceSHA = try load(RedisScripts.announce)
        sweepSHA = try load(RedisScripts.sweep)
        countSHA = try load(RedisScripts.count)
        kickSHA = try load(RedisScripts.kick)
    }

    private func load(_ script: String) throws -> [UInt8] {
        let reply = try connection.command(["SCRIPT", "LOAD", script])
        guard let sha = reply.bytes else {
            throw RedisConnection.Failure(description: "SCRIPT LOAD: \(reply.errorMessage ?? "unexpected reply")")
        }
        return sha
    }

    static func evalshaCommand(_ sha: [UInt8], keys: [String], arguments: [[UInt8]]) -> [[UInt8]] {
        var command: [[UInt8]] = [Array("EVALSHA".utf8), sha, Array(String(keys.count).utf8)]
        command.reserveCapacity(3 + keys.count + arguments.count)
        for key in keys { command.append(Array(key.utf8)) }
        command += arguments
        return command
    }
}

@available(*, unavailable)
extension RedisSession: Sendable {}
