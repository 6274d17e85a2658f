import Foundation
import Testing

/// The reader sink (Sources/CHiredis) is written against hiredis 0.14's reader; its header must
/// refuse to build against any other version rather than misread another reader's structures.
@Suite("hiredis version guard")
struct HiredisVersionGuardTests {
    static let include = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/CHiredis/include").standardizedFileURL.path

    /// Compiles `#include "chiredis.h"` (syntax only) with `extraInclude` searched first; the
    /// compiler's exit status and what it said.
    static func compile(extraInclude: String?) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["cc", "-fsyntax-only", "-x", "c", "-"] + (extraInclude.map { ["-I", $0] } ?? []) + ["-I", include]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data("#include \"chiredis.h\"\n".utf8))
        try input.fileHandleForWriting.close()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, said)
    }

    @Test("builds against Debian's hiredis 0.14 and refuses a hiredis 1.x header")
    func refusesOtherVersions() throws {
        #expect(try Self.compile(extraInclude: nil).status == 0)

        let fake = FileManager.default.temporaryDirectory.appendingPathComponent("tt-fake-hiredis-\(getpid())")
        defer { try? FileManager.default.removeItem(at: fake) }
        try FileManager.default.createDirectory(at: fake.appendingPathComponent("hiredis"), withIntermediateDirectories: true)
        // A newer hiredis: the real header's declarations under another version number.
        let real = try String(contentsOfFile: "/usr/include/hiredis/hiredis.h", encoding: .utf8)
        let newer = real.replacingOccurrences(of: "#define HIREDIS_MAJOR 0", with: "#define HIREDIS_MAJOR 1")
        #expect(newer != real)
        try newer.write(to: fake.appendingPathComponent("hiredis/hiredis.h"), atomically: true, encoding: .utf8)
        for header in ["read.h", "sds.h", "alloc.h"] {
            try FileManager.default.copyItem(atPath: "/usr/include/hiredis/\(header)", toPath: fake.appendingPathComponent("hiredis/\(header)").path)
        }
        let refused = try Self.compile(extraInclude: fake.path)
        #expect(refused.status != 0)
        #expect(refused.output.contains("written for hiredis 0.14"), "\(refused.output)")
    }
}
