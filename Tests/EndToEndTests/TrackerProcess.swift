import Foundation
import TrackerTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The built `trackertui` binary running as a child process on a loopback port.
final class TrackerProcess {
    let process = Process()
    let port: Int
    let logURL: URL
    let dataDirectory: URL

    /// The binary next to the test bundle (`.build/<config>/trackertui`), or `TRACKERTUI_BIN`.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["TRACKERTUI_BIN"] { return URL(fileURLWithPath: path) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // Bundled xctest layouts put the test executable deeper; walk up to the build products.
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: dir.appendingPathComponent("trackertui").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("trackertui")
    }

    private let ownsDataDirectory: Bool

    /// Starts `trackertui serve` on a free port of `host`; `dataDirectory` is made (and removed
    /// afterwards) unless given.
    init(arguments: [String] = [], host: String = "127.0.0.1", dataDirectory: URL? = nil) throws {
        port = try FreePort.find(host: host)
        ownsDataDirectory = dataDirectory == nil
        self.dataDirectory = dataDirectory ?? Self.makeDataDirectory()
        try FileManager.default.createDirectory(at: self.dataDirectory, withIntermediateDirectories: true)
        logURL = self.dataDirectory.appendingPathComponent("tracker-\(port).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        process.executableURL = Self.binary
        let listen = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        process.arguments = ["serve", "--http", listen, "--data-dir", self.dataDirectory.path] + arguments
        let log = try FileHandle(forWritingTo: logURL)
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try waitUntilListening(host: host)
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    private func waitUntilListening(host: String) throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if (try? HTTPProbe.get(host: host, port: port, path: "/")) != nil { return }
            guard process.isRunning else { throw E2EError("tracker exited at start: \(log)") }
            usleep(50_000)
        }
        throw E2EError("tracker did not listen within 10 s: \(log)")
    }

    /// SIGTERM, then waits (bounded) and returns the exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return -1
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { stop(signal: SIGKILL) }
        if ownsDataDirectory { try? FileManager.default.removeItem(at: dataDirectory) }
    }

    /// A fresh directory under /tmp (short, so the managed Redis gets a unix socket).
    static func makeDataDirectory() -> URL {
        URL(fileURLWithPath: "/tmp/tt-e2e-\(UUID().uuidString.prefix(8))")
    }
}

struct E2EError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
