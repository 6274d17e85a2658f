/// The Lua scripts (`Storage/Redis/Lua/*.lua`, compiled into the binary). Each call is one round
/// trip and touches one swarm's keys only (one Cluster slot): a script is given the swarm's
/// lifecycle key alone and derives the names of the swarm's other keys from it (they share its
/// hash tag), since each declared key or argument costs redis-server about as much as a cheap
/// command. A script runs as `layout.lua` (the constants Swift and Lua share) + `swarm.lua`
/// (shared helpers) + its own file: `scripts/redis-eval.sh NAME KEY , ARGS…` runs one by hand
/// with `redis-cli --eval`.
enum RedisScript: Int, CaseIterable {
    case announce, count, sweep, kick, deregister

    /// What `SCRIPT LOAD` is given.
    var source: String {
        RedisScript.prelude + String(decoding: body, as: UTF8.self)
    }

    private var body: [UInt8] {
        switch self {
        case .announce: return PackageResources.announce_lua
        case .count: return PackageResources.count_lua
        case .sweep: return PackageResources.sweep_lua
        case .kick: return PackageResources.kick_lua
        case .deregister: return PackageResources.deregister_lua
        }
    }

    /// The shared constants and helpers every script starts with.
    static let prelude = String(decoding: PackageResources.layout_lua, as: UTF8.self)
        + String(decoding: PackageResources.swarm_lua, as: UTF8.self)
}
