@testable import TrackerEngine

/// The stores the conformance suite runs against. The Redis store joins this list.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory

    var testDescription: String { rawValue }

    func makeStore(peerTimeout: Int64 = 3660) throws -> any SwarmStore {
        switch self {
        case .memory: return MemorySwarmStore(peerTimeout: peerTimeout, shardCount: 4)
        }
    }
}

import Testing
