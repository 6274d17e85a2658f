import TrackerEngine

/// Names the BitTorrent client behind a peer_id (BEP 20 conventions):
/// - Azureus style `-qB4520-…` → "qBittorrent 4.5.2", `-TR3000-…` → "Transmission 3.00";
/// - Shadow style `S58B-----…` → "Shadow 5.8.11";
/// - Mainline style `M4-3-6--…` → "BitTorrent 4.3.6".
/// Anything else shows its first bytes, printable ones only.
enum PeerClient {
    static let azureus: [String: String] = [
        "AG": "Ares", "AZ": "Vuze", "BC": "BitComet", "BI": "BiglyBT", "BT": "BitTorrent", "DE": "Deluge",
        "FD": "Free Download Manager", "FL": "Folx", "HL": "Halite", "KT": "KTorrent", "LT": "libtorrent",
        "lt": "rTorrent", "PI": "PicoTorrent", "qB": "qBittorrent", "SD": "Thunder", "TL": "Tribler",
        "TR": "Transmission", "UM": "µTorrent Mac", "UT": "µTorrent", "UW": "µTorrent Web", "WD": "WebTorrent Desktop",
        "WW": "WebTorrent", "XL": "Xunlei", "BW": "BitWombat", "FX": "Flashget", "TT": "TuoTu",
    ]
    static let shadow: [UInt8: String] = [
        UInt8(ascii: "A"): "ABC", UInt8(ascii: "O"): "Osprey", UInt8(ascii: "Q"): "BTQueue", UInt8(ascii: "R"): "Tribler",
        UInt8(ascii: "S"): "Shadow", UInt8(ascii: "T"): "BitTornado", UInt8(ascii: "U"): "UPnP NAT Bit Torrent",
    ]

    static func name(_ peerID: PeerID) -> String {
        name(bytes: peerID.raw.bytes)
    }

    static func name(bytes b: [UInt8]) -> String {
        guard b.count >= 8 else { return printable(b) }
        if b[0] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), let client = azureus[String(decoding: b[1...2], as: UTF8.self)] {
            return client + " " + azureusVersion(client: client, Array(b[3...6]))
        }
        if b[0] == UInt8(ascii: "M"), b[2] == UInt8(ascii: "-") {
            let version = b[1..<8].split(separator: UInt8(ascii: "-"))
            if version.count == 3, version.allSatisfy({ $0.allSatisfy(isDigit) }) {
                return "BitTorrent " + version.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ".")
            }
        }
        if let client = shadow[b[0]], b[1...5].allSatisfy({ shadowDigit($0) != nil || $0 == UInt8(ascii: "-") }) {
            let digits = b[1...5].prefix { $0 != UInt8(ascii: "-") }.compactMap(shadowDigit)
            if !digits.isEmpty { return client + " " + digits.map(String.init).joined(separator: ".") }
        }
        return printable(Array(b.prefix(8)))
    }

    private static func azureusVersion(client: String, _ v: [UInt8]) -> String {
        let digits = v.map { shadowDigit($0) ?? 0 }
        if client == "Transmission", digits[0] < 4 {
            // Transmission 1–3 numbered major.minor with two minor digits: -TR2940- is 2.94.
            return "\(digits[0]).\(digits[1])\(digits[2])"
        }
        if client == "µTorrent" || client == "µTorrent Mac" || client == "µTorrent Web" {
            return "\(digits[0]).\(digits[1]).\(digits[2])"  // the last byte is a build letter
        }
        var parts = digits.map(String.init)
        if digits[3] == 0 { parts.removeLast() }
        return parts.joined(separator: ".")
    }

    private static func shadowDigit(_ c: UInt8) -> Int? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(c - UInt8(ascii: "0"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return Int(c - UInt8(ascii: "A")) + 10
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return Int(c - UInt8(ascii: "a")) + 36
        case UInt8(ascii: "."): return 62
        default: return nil
        }
    }

    private static func isDigit(_ c: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) }

    private static func printable(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.map { (0x20..<0x7F).contains($0) ? $0 : UInt8(ascii: ".") }, as: UTF8.self)
    }
}
