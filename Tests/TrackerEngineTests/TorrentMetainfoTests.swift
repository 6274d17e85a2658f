import Testing
@testable import TrackerEngine

/// .torrent parsing on byte fixtures (files made by real tools are read in the end-to-end suite).
@Suite("Torrent metainfo")
struct TorrentMetainfoTests {
    static let info = Array("d6:lengthi5e4:name7:a\u{1B}[2J!!12:piece lengthi16384e6:pieces20:".utf8) + [UInt8](repeating: 0, count: 20) + Array("e".utf8)

    @Test("the info-hash is SHA-1 of the info dictionary's bytes as written, whatever surrounds them; control characters leave the name")
    func infoHashAndName() throws {
        // Keys outside `info` unsorted, as some tools write them: accepted, and not hashed.
        let file = Array("d8:announce3:url4:info".utf8) + Self.info + Array("7:comment1:xe".utf8)
        let parsed = try TorrentMetainfo.parse(file)
        #expect(parsed.v1 == InfoHash(hex: "31cd65b7fad4a19ff55e3be0a4c762ac6bccaa65"))
        #expect(parsed.v2 == nil && parsed.infoHashes.count == 1)
        #expect(parsed.name == "a\u{FFFD}[2J!!", "an escape sequence cannot reach the terminal")
        #expect(parsed.totalLength == 5 && parsed.fileCount == 1 && parsed.pieceLength == 16384 && !parsed.isPrivate)
    }

    @Test("refusals name what is wrong")
    func refusals() {
        func failure(_ text: String) -> TorrentMetainfo.Failure? {
            do { _ = try TorrentMetainfo.parse(Array(text.utf8)); return nil } catch { return error }
        }
        #expect(failure("d8:announce3:urle") == .noInfoDictionary)
        #expect(failure("d4:infod4:name1:x6:pieces0:ee") == .missing("piece length"))
        #expect(failure("d4:infod4:name1:x12:piece lengthi0e6:pieces0:ee") == .invalid("piece length"))
        #expect(failure("d4:infod4:name1:x12:piece lengthi16384eee") == .missing("pieces or meta version 2"))
        #expect(failure("d4:infod12:meta versioni2e4:name1:x12:piece lengthi16384eee") == .missing("file tree"))
        #expect(failure("d4:infod6:lengthi5e12:piece lengthi16384e6:pieces0:ee") == .missing("name"))
        if case .notBencode = failure("d4:infod") {} else { Issue.record("truncated input is not bencode") }
        let flood = "d4:infod5:filesl" + String(repeating: "le", count: TorrentMetainfo.maxValues) + "eee"
        if case .notBencode(.tooManyValues) = failure(flood) {} else { Issue.record("two million empty lists are refused, not built") }
    }

    @Test("a name is cut at 512 bytes of UTF-8, never inside a character")
    func longName() {
        let name = TorrentMetainfo.printable(Array(String(repeating: "é", count: 400).utf8))
        #expect(name.utf8.count == 512 && name.unicodeScalars.allSatisfy { $0 == "é" })
    }

    @Test("a catalog entry survives its shared encoding; read back, bad values are refused and names made printable again")
    func entryEncoding() {
        let entry = CatalogEntry(metainfo: TorrentMetainfo(v1: InfoHash(hex: String(repeating: "a", count: 40)), v2: nil, name: "x",
                                                           totalLength: 5, fileCount: 1, pieceLength: 16384, isPrivate: true),
                                 path: "/t/x.torrent")
        #expect(CatalogEntry(encoded: entry.encoded()) == entry)
        let hostile = Array("d5:filesi1e4:name3:a\u{1B}b4:path1:p5:piecei16384e7:privatei0e4:sizei5e2:v140:\(String(repeating: "b", count: 40))e".utf8)
        #expect(CatalogEntry(encoded: hostile)?.metainfo.name == "a\u{FFFD}b")
        for bad in ["d4:name1:xe", "d5:filesi1e4:name1:x4:path1:p5:piecei0e7:privatei0e4:sizei5e2:v140:\(String(repeating: "b", count: 40))e",
                    "d5:filesi1e4:name1:x4:path1:p5:piecei16384e7:privatei0e4:sizei-5e2:v140:\(String(repeating: "b", count: 40))e",
                    "d5:filesi1e4:name1:x4:path1:p5:piecei16384e7:privatei0e4:sizei5e2:v13:abce"] {
            #expect(CatalogEntry(encoded: Array(bad.utf8)) == nil, "\(bad)")
        }
    }
}
