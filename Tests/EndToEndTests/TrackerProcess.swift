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

    init(arguments: [String] = [], host: String = "127.0.0.1") throws {
        port = try FreePort.find(host: host)
        dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("trackertui-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        logURL = dataDirectory.appendingPathComponent("tracker.log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        process.executableURL = Self.binary
        let listen = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        process.arguments = ["serve", "--http", listen, "--data-dir", dataDirectory.path] + arguments
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
        try? FileManager.default.removeItem(at: dataDirectory)
    }
}

struct E2EError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
