import NIOCore
import TrackerEngine

/// Every parser of outside bytes, as a libFuzzer target: bytes in, no crash, no hang, bounded
/// memory. Built with `make fuzz` (`-sanitize=fuzzer`); without the fuzzer it replays corpora.
enum FuzzTarget: String, CaseIterable {
    /// Raw bytes from a client through the whole HTTP path: framing, routing, query parsing,
    /// the tracker's answer (memory store), reply writing.
    case http
    case announce
    case scrape
    case bencode
    /// A Redis server's bytes through hiredis's reader and our member sink.
    case resp
    /// Hand-edited moderation files.
    case moderation
    /// Addresses and CIDR ranges (command line, files, Redis) and X-Forwarded-For values.
    case address
    /// UDP tracker datagrams (BEP 15, BEP 41 options) through the UDP responder (memory store).
    case udp
    /// .torrent files (the catalog's directories hold whatever anyone put there).
    case torrent

    func run(_ bytes: UnsafeRawBufferPointer) {
        switch self {
        case .http: Self.http(bytes)
        case .announce: _ = try? AnnounceQuery.parse(bytes)
        case .scrape: _ = try? ScrapeQuery.parse(bytes, maxHashes: 74)
        case .bencode: _ = try? BencodeValue.decode(Array(bytes))
        case .resp: Self.resp(bytes)
        case .moderation:
            _ = ModerationFileFormat.infoHashes(Array(bytes))
            _ = ModerationFileFormat.bans(Array(bytes))
        case .address:
            let text = String(decoding: bytes, as: UTF8.self)
            if let range = AddressRange(text) { precondition(AddressRange(range.description) == range, "a range reads back as itself") }
            _ = Self.proxies.client(of: Self.proxy, forwardedFor: Array(bytes), realIP: Array(bytes))
        case .udp: Self.udp(bytes)
        case .torrent:
            if let parsed = try? TorrentMetainfo.parse(Array(bytes)) {
                precondition(!parsed.infoHashes.isEmpty && parsed.name.utf8.count <= TorrentMetainfo.maxNameBytes)
            }
        }
    }

    private static let proxy = PeerEndpoint.v4(IPv4Endpoint(address: 0x7F00_0001, port: 1))
    private static let proxies = TrustedProxies([AddressRange("127.0.0.0/8")!, AddressRange("2001:db8::/32")!])

    /// A store small enough that state from earlier inputs stays bounded.
    private static let responder: HTTPResponder = {
        let store = MemorySwarmStore(shardCount: 4, limits: SwarmLimits(maxTorrents: 1000, maxPeersPerClient: 64))
        return HTTPResponder(logic: TrackerLogic(store: store, fullScrapeEnabled: false), stats: TrackerStats(),
                             trustedProxies: proxies)
    }()
    private static let decoder = HTTPRequestDecoder()

    private static func http(_ bytes: UnsafeRawBufferPointer) {
        var buffer = ByteBuffer(bytes: bytes)
        // Half of each input from a trusted proxy, so its forwarding headers are parsed too.
        let from = bytes.count % 2 == 0 ? proxy : PeerEndpoint.v6(IPv6Endpoint(high: 0x2001_0DB9_0000_0000, low: 7, port: 2))
        for _ in 0..<64 {
            guard let part = decoder.decodeOne(&buffer) else { break }
            if case .reply(let reply) = responder.respond(to: part, from: from) { precondition(reply.bytes.readableBytes > 0) }
            if case .malformed = part { break }
        }
    }

    private static let udpClock = ManualClock()
    private static let udpResponder: UDPResponder = {
        let store = MemorySwarmStore(shardCount: 4, limits: SwarmLimits(maxTorrents: 1000, maxPeersPerClient: 64))
        return UDPResponder(logic: TrackerLogic(store: store, clock: udpClock, fullScrapeEnabled: false),
                            connectionIDs: UDPConnectionIDs(key: [UInt8](repeating: 7, count: 16)))
    }()

    private static func udp(_ bytes: UnsafeRawBufferPointer) {
        var datagram = Array(bytes)
        let source = datagram.count % 2 == 0 ? proxy : PeerEndpoint.v6(IPv6Endpoint(high: 0x2001_0DB9_0000_0000, low: 7, port: 2))
        // Inputs whose first byte is odd carry a valid connection id, so the fuzzer reaches the
        // announce and scrape paths behind the check.
        if datagram.count >= 8, datagram[0] & 1 == 1 {
            let id = udpResponder.connectionIDs.id(for: source, now: udpClock.now())
            for i in 0..<8 { datagram[i] = UInt8(truncatingIfNeeded: id >> (56 - 8 * i)) }
        }
        datagram.withUnsafeBytes { raw in
            if case .reply(let reply) = udpResponder.respond(to: raw, from: source) {
                let size = reply.bytes.count
                precondition(size >= 8 && size <= UDPReply.maxSize)
            }
        }
    }

    private static func resp(_ bytes: UnsafeRawBufferPointer) {
        guard let mode = bytes.first else { return }
        let reader = RedisReplyReader()
        reader.feed(UnsafeRawBufferPointer(rebasing: bytes.dropFirst()))
        // The first byte picks, reply by reply, the plain reader or the member sink (and its member size).
        for i in 0..<64 {
            let throughSink = mode >> (i % 8) & 1 == 1
            do {
                if throughSink {
                    _ = try reader.nextMembers(size: mode & 0x80 == 0 ? 6 : 18)
                } else if try reader.next() == nil {
                    return
                }
            } catch {
                return
            }
        }
    }
}

/// Which target this process fuzzes: FUZZ_TARGET, read once.
let selectedTarget: FuzzTarget = {
    let name = getenv("FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        fatalError("FUZZ_TARGET must be one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")); got \"\(name)\"")
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selectedTarget.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

#if canImport(Glibc)
import Glibc
#endif
