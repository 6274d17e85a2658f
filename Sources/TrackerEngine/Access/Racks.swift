import Atomics

/// Which rack each peer is in: racks are named address ranges (`--rack NAME=CIDR,…`, a racks
/// file), and a peer's rack is the one with the most specific range holding its address; a peer
/// no range holds is in no rack (id 0). Stores fill an announcer's peers from its own rack first.
///
/// A rack's id (1...255) is given the first time its name is seen and kept for the process's
/// life, so a reload that reorders or drops racks never gives a name another's id: stores can
/// key what they keep by id. Reads cost one relaxed atomic load while no rack is defined.
public final class Racks: Sendable {
    /// Names a rack may have: what goes into Redis key names and the dashboard.
    public static func isValidName(_ name: some StringProtocol) -> Bool {
        (1...32).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte | 0x20) || byte == 0x2D || byte == 0x2E || byte == 0x5F
        }
    }

    public static let maxRacks = 255

    private struct State: Sendable {
        /// Ranges, the most specific first, with their rack's id.
        var ranges: [(range: AddressRange, id: UInt8)] = []
        /// Names by id - 1; never shrinks.
        var names: [String] = []
        var definitions: [RackDefinition] = []
    }

    private let state = Locked(State())
    private let defined = ManagedAtomic(false)

    public init(_ definitions: [RackDefinition] = []) {
        try? replace(with: definitions)
    }

    /// The rack of `endpoint`'s address, 0 for none.
    @inline(__always)
    public func rack(of endpoint: PeerEndpoint) -> UInt8 {
        guard defined.load(ordering: .relaxed) else { return 0 }
        return rack(of: PeerAddress(endpoint))
    }

    public func rack(of address: PeerAddress) -> UInt8 {
        state.update { state in state.ranges.first { $0.range.contains(address) }?.id ?? 0 }
    }

    /// The name of rack `id`; nil for 0 or an id never given.
    public func name(of id: UInt8) -> String? {
        guard id > 0 else { return nil }
        return state.update { $0.names.indices.contains(Int(id) - 1) ? $0.names[Int(id) - 1] : nil }
    }

    public var definitions: [RackDefinition] { state.value.definitions }

    /// Puts `definitions` in place of the racks defined. Fails, changing nothing, when the names
    /// ever given would pass `maxRacks`.
    public func replace(with definitions: [RackDefinition]) throws(RackError) {
        // Reloads come one at a time (start, SIGHUP): reading then writing the state is enough.
        var names = state.value.names
        for definition in definitions where !names.contains(definition.name) {
            guard names.count < Self.maxRacks else { throw RackError("more than \(Self.maxRacks) rack names") }
            names.append(definition.name)
        }
        var ranges: [(range: AddressRange, id: UInt8)] = []
        for definition in definitions {
            let id = UInt8(names.firstIndex(of: definition.name)! + 1)
            ranges += definition.ranges.map { ($0, id) }
        }
        // The most specific first; among equals, the first defined wins (a stable sort).
        let ordered = ranges.enumerated().sorted { ($1.element.range.prefixLength, $0.offset) < ($0.element.range.prefixLength, $1.offset) }
        state.value = State(ranges: ordered.map(\.element), names: names, definitions: definitions)
        defined.store(!ranges.isEmpty, ordering: .relaxed)
    }
}

/// Where engines share their racks (Redis), so that attached dashboards show each peer's rack.
public protocol RackRegistry: Sendable {
    func publishRacks(_ racks: [RackDefinition]) async throws
    func sharedRacks() async throws -> [RackDefinition]
}

/// One rack: its name and address ranges.
public struct RackDefinition: Sendable, Equatable {
    public var name: String
    public var ranges: [AddressRange]

    public init(name: String, ranges: [AddressRange]) {
        self.name = name
        self.ranges = ranges
    }

    /// `NAME=CIDR[,CIDR…]`, as `--rack` takes it.
    public init(option text: String) throws(RackError) {
        guard let equals = text.firstIndex(of: "=") else { throw RackError("\(text): expected NAME=CIDR[,CIDR…]") }
        let name = text[..<equals]
        guard Racks.isValidName(name) else { throw RackError("\(name): a rack name is 1-32 letters, digits, '.', '-' or '_'") }
        var ranges: [AddressRange] = []
        for part in text[text.index(after: equals)...].split(separator: ",") {
            guard let range = AddressRange(part.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed().map(String.init).joined()) else { throw RackError("\(part): not an address or CIDR range") }
            ranges.append(range)
        }
        guard !ranges.isEmpty else { throw RackError("\(text): no address range") }
        self.init(name: String(name), ranges: ranges)
    }

    /// `racks` in the racks file's format.
    public static func render(_ racks: [RackDefinition]) -> String {
        racks.flatMap { rack in rack.ranges.map { "\(rack.name) \($0)\n" } }.joined()
    }

    /// A racks file: `NAME CIDR` a line (a name may have several lines), `#` comments, blank
    /// lines. Lines that do not parse are returned with their numbers; the others apply.
    public static func parse(file bytes: [UInt8]) -> (racks: [RackDefinition], problems: [(line: Int, reason: String)]) {
        var racks: [RackDefinition] = [], problems: [(line: Int, reason: String)] = []
        for (index, raw) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let line = String(decoding: raw.prefix { $0 != UInt8(ascii: "#") }, as: UTF8.self)
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count == 2, Racks.isValidName(fields[0]), let range = AddressRange(fields[1]) else {
                problems.append((index + 1, "expected <rack name> <address or CIDR range>, got \"\(line.prefix(60))\""))
                continue
            }
            if let i = racks.firstIndex(where: { $0.name == fields[0] }) { racks[i].ranges.append(range) } else {
                racks.append(RackDefinition(name: String(fields[0]), ranges: [range]))
            }
        }
        return (racks, problems)
    }
}

public struct RackError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
