import Testing
import TrackerTestSupport
@testable import TrackerEngine

/// The stores the conformance suite runs against: the Redis one against a real redis-server
/// that the tests start, each store under its own key prefix.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory
    case redis

    var testDescription: String { rawValue }

    /// `racks`: the rack names a Redis store writes into its keys (the memory store needs only ids).
    func makeStore(peerTimeout: Int64 = 3660, racks: Racks = Racks()) throws -> any SwarmStore {
        switch self {
        case .memory:
            return MemorySwarmStore(peerTimeout: peerTimeout, shardCount: 4)
        case .redis:
            return RedisSwarmStore(endpoint: TestRedis.shared.endpoint, prefix: TestRedis.uniquePrefix(), peerTimeout: peerTimeout, threads: 1,
                                   racks: racks)
        }
    }
}
