/// Banned address ranges and when each ban ends. A lookup masks the address once per prefix
/// length in use (usually one or two: single addresses and IPv6 /64s), never walks the list.
public struct BanList: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var deadlines: [AddressRange: TrackerTime] = [:]
    /// How many ranges use each (family, prefix length): the lengths a lookup must try.
    private var lengthsInUse: [LengthKey: Int] = [:]

    private struct LengthKey: Hashable {
        var isIPv4: Bool
        var length: Int
    }

    public init() {}

    public init(dictionaryLiteral elements: (AddressRange, TrackerTime)...) {
        for (range, until) in elements { self[range] = until }
    }

    public subscript(range: AddressRange) -> TrackerTime? {
        get { deadlines[range] }
        set {
            let key = LengthKey(isIPv4: range.base.isIPv4, length: range.prefixLength)
            let previous = deadlines[range]
            deadlines[range] = newValue
            switch (previous, newValue) {
            case (nil, .some): lengthsInUse[key, default: 0] += 1
            case (.some, nil):
                lengthsInUse[key, default: 1] -= 1
                if lengthsInUse[key] == 0 { lengthsInUse[key] = nil }
            default: break
            }
        }
    }

    public var count: Int { deadlines.count }
    public var isEmpty: Bool { deadlines.isEmpty }

    /// The latest end among the bans that cover `address`, nil when none does.
    public func deadline(covering address: PeerAddress) -> TrackerTime? {
        var latest: TrackerTime?
        for key in lengthsInUse.keys where key.isIPv4 == address.isIPv4 {
            if let until = deadlines[AddressRange(address, prefixLength: key.length)], latest.map({ $0 < until }) ?? true {
                latest = until
            }
        }
        return latest
    }

    public func filter(_ keep: (AddressRange, TrackerTime) -> Bool) -> BanList {
        var kept = BanList()
        for (range, until) in deadlines where keep(range, until) { kept[range] = until }
        return kept
    }

    public func makeIterator() -> Dictionary<AddressRange, TrackerTime>.Iterator { deadlines.makeIterator() }

    public static func == (lhs: BanList, rhs: BanList) -> Bool { lhs.deadlines == rhs.deadlines }
}
