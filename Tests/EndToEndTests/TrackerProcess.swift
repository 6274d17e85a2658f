import Foundation
import TrackerEngine
import TrackerTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The built `trackertui` binary running as a child process on a loopback port.
final class TrackerProcess {
    private(set) var process: ChildProcess!
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
    /// afterwards) unless given. `fileLimit` sets both open-file limits first (`ulimit -n`).
    /// - Parameter udp: serve the UDP tracker too, on the same port number.
    init(arguments: [String] = [], host: String = "127.0.0.1", dataDirectory: URL? = nil, fileLimit: Int? = nil, udp: Bool = false) throws {
        port = try FreePort.find(host: host)
        ownsDataDirectory = dataDirectory == nil
        self.dataDirectory = dataDirectory ?? Self.makeDataDirectory()
        try FileManager.default.createDirectory(at: self.dataDirectory, withIntermediateDirectories: true)
        logURL = self.dataDirectory.appendingPathComponent("tracker-\(port).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let listen = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let serve = ["serve", "--http", listen, "--data-dir", self.dataDirectory.path] + (udp ? ["--udp", listen] : []) + arguments
        if let fileLimit {
            process = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "ulimit -n \(fileLimit) && exec \"$0\" \"$@\"", Self.binary.path] + serve,
                                       outputPath: logURL.path)
        } else {
            process = try ChildProcess(executable: Self.binary.path, arguments: serve, outputPath: logURL.path)
        }
        try waitUntilListening(host: host)
    }

    /// Runs the binary with `arguments` until it exits (for commands that must refuse to start):
    /// its exit status and what it wrote on stderr.
    static func runToCompletion(_ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, stderr: String) {
        let run = try command(arguments, environment: environment)
        return (run.status, run.stderr)
    }

    /// Runs the binary with `arguments` until it exits: its exit status and what it wrote on
    /// stdout and stderr (stdout read to a file, so neither pipe can fill while the other waits).
    static func command(_ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let environment { process.environment = environment }
        let outURL = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("tt-out-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL) }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        let err = Pipe()
        process.standardError = err
        try process.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: outURL, encoding: .utf8)) ?? "", text)
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    /// Resident memory now, in bytes (VmRSS).
    var residentBytes: Int {
        let status = (try? String(contentsOfFile: "/proc/\(process.pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }

    /// CPU time used so far (user + system), in seconds.
    var cpuSeconds: Double {
        let stat = (try? String(contentsOfFile: "/proc/\(process.pid)/stat", encoding: .utf8)) ?? ""
        // Fields after the command name (which may hold spaces) start at its closing parenthesis.
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    private func waitUntilListening(host: String) throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if (try? HTTPProbe.get(host: host, port: port, path: "/")) != nil { return }
            guard process.isRunning else { throw E2EError("tracker exited at start: \(log)") }
            usleep(50_000)
        }
        throw E2EError("tracker did not listen within 10 s: \(log)")
    }

    /// SIGTERM, then waits (bounded) and returns the exit status (128 + signal when killed).
    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        if let status = process.exitStatus { return status }
        process.signal(signal)
        if !process.wait(timeout: 10) {
            process.signal(SIGKILL)
            _ = process.wait(timeout: 5)
            return -1
        }
        return process.exitStatus ?? -1
    }

    deinit {
        // SIGTERM first: a tracker stops its managed redis-server on the way out.
        if process.isRunning { stop() }
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
