import Foundation
import Testing

/// The fuzz targets' seed corpora (and any crash inputs added to them) replayed through an
/// ordinary build of `trackertui-fuzz`: every input a parser once choked on stays a test.
@Suite("Fuzz corpora")
struct FuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("every seed input of every fuzz target goes through without a crash", arguments: ["http", "announce", "scrape", "bencode", "resp", "moderation", "address", "udp", "torrent"])
    func replay(target: String) throws {
        let binary = TrackerProcess.binary.deletingLastPathComponent().appendingPathComponent("trackertui-fuzz")
        let corpus = Self.root.appendingPathComponent("Fuzz/Corpus/\(target)")
        let inputs = try FileManager.default.contentsOfDirectory(atPath: corpus.path)
        #expect(!inputs.isEmpty, "Fuzz/Corpus/\(target) has seeds")
        let process = Process()
        process.executableURL = binary
        process.arguments = [target, corpus.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(target): \(text)")
        #expect(text.contains("\(target): \(inputs.count) inputs replayed, 0 crashes"), "\(text)")
    }
}
