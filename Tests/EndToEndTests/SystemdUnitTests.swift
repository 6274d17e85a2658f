import Foundation
import Testing
import TrackerTestSupport

/// contrib/trackertui.service passes `systemd-analyze verify` (no warning either) once its
/// binary's path is filled in, as `make install` fills it; with a path that is not there, it fails.
@Suite("systemd unit")
struct SystemdUnitTests {
    static let unit = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("contrib/trackertui.service")

    static func verify(binDir: String) throws -> (status: Int32, output: String) {
        let text = try String(contentsOf: unit, encoding: .utf8).replacingOccurrences(of: "@BINDIR@", with: binDir)
        let file = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("trackertui-\(UUID().uuidString.prefix(8)).service")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        process.arguments = ["verify", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("systemd-analyze verify passes with the built binary's directory, without a warning; fails with a missing binary")
    func verifies() throws {
        let good = try Self.verify(binDir: TrackerProcess.binary.deletingLastPathComponent().path)
        #expect(good.status == 0 && good.output.isEmpty, "\(good.output)")
        let text = try String(contentsOf: Self.unit, encoding: .utf8)
        for key in ["StateDirectory=trackertui", "LimitNOFILE=", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
                    "PrivateTmp=yes", "Restart=on-failure", "ExecReload=/bin/kill -HUP $MAINPID"] {
            #expect(text.contains(key), "the unit sets \(key)")
        }
        let bad = try Self.verify(binDir: "/nonexistent")
        #expect(bad.status != 0 && bad.output.contains("not executable"), "\(bad.output)")
    }
}
