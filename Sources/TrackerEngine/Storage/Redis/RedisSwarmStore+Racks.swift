/// Engines share their racks in `<prefix>:racks`, a string in the racks file's format (the last
/// engine to load its racks writes it), for dashboards attached elsewhere.
extension RedisSwarmStore: RackRegistry {
    /// The most a shared racks text may hold (255 racks of a few ranges each fit many times over).
    static let maxRacksBytes = 256 << 10

    public func publishRacks(_ racks: [RackDefinition]) async throws {
        let text = RackDefinition.render(racks)
        try await withSession { session in
            _ = try session.connection.command(racks.isEmpty ? ["DEL", session.keys.racks] : ["SET", session.keys.racks, text])
        }
    }

    public func sharedRacks() async throws -> [RackDefinition] {
        try await withSession { session in
            guard let bytes = try session.connection.command(["GET", session.keys.racks]).bytes, bytes.count <= Self.maxRacksBytes else { return [] }
            return RackDefinition.parse(file: bytes).racks
        }
    }
}
