import Testing
@testable import TrackerEngine

@Suite("Bencode")
struct BencodeTests {
    @Test("encodes each type to its canonical bytes")
    func encodesCanonically() {
        #expect(BencodeValue.integer(42).encoded() == Array("i42e".utf8))
        #expect(BencodeValue.integer(-7).encoded() == Array("i-7e".utf8))
        #expect(BencodeValue.integer(0).encoded() == Array("i0e".utf8))
        #expect(BencodeValue.string("spam").encoded() == Array("4:spam".utf8))
        #expect(BencodeValue.bytes([]).encoded() == Array("0:".utf8))
        #expect(BencodeValue.list([.string("a"), .integer(1)]).encoded() == Array("l1:ai1ee".utf8))
    }

    @Test("sorts dictionary keys by raw bytes, not by text")
    func sortsKeysByRawBytes() {
        let dict = BencodeValue.dictionary([
            Array("peers6".utf8): .integer(1), Array("peers".utf8): .integer(2),
            [0xFF]: .integer(3), Array("B".utf8): .integer(4), Array("a".utf8): .integer(5),
        ])
        // "B" (0x42) < "a" (0x61) < "peers" < "peers6" < 0xFF
        #expect(dict.encoded() == Array("d1:Bi4e1:ai5e5:peersi2e6:peers6i1e".utf8) + [0x31, 0x3A, 0xFF] + Array("i3ee".utf8))
    }

    @Test("decodes what it encodes", arguments: [
        BencodeValue.integer(Int64.max), .integer(Int64.min + 1), .bytes((0...255).map { UInt8($0) }),
        .list([]), .dictionary([:]),
        .dictionary([Array("files".utf8): .dictionary([[1, 2, 3]: .list([.integer(1), .string("x")])])]),
    ])
    func roundTrips(value: BencodeValue) throws {
        #expect(try BencodeValue.decode(value.encoded()) == value)
    }

    @Test("refuses malformed input with the offset that is wrong", arguments: [
        ("i01e", BencodeError.invalidInteger(at: 1)),
        ("i-0e", BencodeError.invalidInteger(at: 1)),
        ("ie", BencodeError.invalidInteger(at: 1)),
        ("i12", BencodeError.unexpectedEnd(at: 3)),
        ("5:abc", BencodeError.invalidLength(at: 0)),
        ("d1:bi1e1:ai2ee", BencodeError.unsortedOrDuplicateKey(at: 7)),
        ("d1:ai1e1:ai2ee", BencodeError.unsortedOrDuplicateKey(at: 7)),
        ("i1ei2e", BencodeError.trailingBytes(at: 3)),
        ("x", BencodeError.invalidByte(at: 0)),
        ("l", BencodeError.unexpectedEnd(at: 1)),
        ("di1ei1ee", BencodeError.invalidByte(at: 1)),
    ])
    func refusesMalformed(input: String, expected: BencodeError) {
        #expect(throws: expected) { try BencodeValue.decode(Array(input.utf8)) }
    }

    @Test("bounds nesting depth")
    func boundsDepth() {
        let deep = Array(repeating: UInt8(ascii: "l"), count: 100) + Array(repeating: UInt8(ascii: "e"), count: 100)
        #expect(throws: BencodeError.tooDeep(at: 65)) { try BencodeValue.decode(deep) }
        #expect(throws: Never.self) { try BencodeValue.decode(deep, maxDepth: 200) }
    }

    @Test("never crashes on truncated or random input")
    func neverCrashes() {
        let sample = BencodeValue.dictionary([
            Array("a".utf8): .list([.integer(-12), .string("hello")]), Array("b".utf8): .dictionary([Array("c".utf8): .integer(3)]),
        ]).encoded()
        for length in 0..<sample.count {
            #expect(throws: BencodeError.self) { try BencodeValue.decode(sample.prefix(length)) }
        }
        var rng = SplitMix(seed: 7)
        let alphabet = Array("ilde0123456789:-x".utf8)
        var decodedSome = 0
        for _ in 0..<20_000 {
            let length = Int(rng.next() % 24)
            let bytes = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            if (try? BencodeValue.decode(bytes)) != nil { decodedSome += 1 }
        }
        #expect(decodedSome > 0, "the random sweep should also hit valid encodings")
    }
}

/// A deterministic generator for sweeps.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
