import Foundation
import Glibc
import TrackerEngine

/// A program running in a private tmux server: keys go in with send-keys, the screen comes out
/// with capture-pane. Every wait is bounded.
final class TmuxSession {
    let socket = "tt-\(UUID().uuidString.prefix(8))"
    let statusFile: String

    /// Starts `command` in a `columns`×`rows` window, in a UTF-8 locale; its exit status lands in `statusFile`.
    init(_ command: [String], columns: Int = 100, rows: Int = 30, environment: [String: String] = [:]) throws {
        statusFile = "/tmp/\(socket).status"
        let quoted = command.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let env = (["LANG": "C.UTF-8"].merging(environment) { $1 }).flatMap { ["-e", "\($0.key)=\($0.value)"] }
        // The server outlives this call and would hold a pipe open: no output is read here.
        try tmux(["new-session", "-d", "-s", "main", "-x", String(columns), "-y", String(rows)] + env
                 + ["sh", "-c", "\(quoted); echo $? > \(statusFile); sleep 30"])
    }

    deinit {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: statusFile)
    }

    /// Runs one tmux client command (posix_spawn, not Foundation's Process, whose reaping missed
    /// the tmux client's exit here) and returns what it printed.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let output = "/tmp/\(socket).\(UUID().uuidString.prefix(6)).out"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let client = try ChildProcess(executable: "/usr/bin/tmux", arguments: ["-L", socket] + arguments, outputPath: output)
        guard client.wait(timeout: 10) else {
            client.signal(SIGKILL)
            throw E2EError("tmux \(arguments.joined(separator: " ")) did not finish")
        }
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard client.exitStatus == 0 else { throw E2EError("tmux \(arguments.joined(separator: " ")): \(text)") }
        return text
    }

    /// What the window shows now, one string per row.
    func screen() throws -> [String] {
        try tmux(["capture-pane", "-p", "-t", "main"]).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The screen with its attributes as escape sequences (`capture-pane -e`).
    func screenWithAttributes() throws -> String {
        try tmux(["capture-pane", "-p", "-e", "-t", "main"])
    }

    /// Sends `signal` to the program (the child of the window's shell).
    func signalProgram(_ signal: Int32) throws {
        let shell = try tmux(["display-message", "-p", "-t", "main", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        guard let pid = children.split(separator: " ").first.flatMap({ Int32($0) }) else { throw E2EError("no program under the shell \(shell)") }
        kill(pid, signal)
    }

    func send(_ keys: String...) throws {
        try tmux(["send-keys", "-t", "main"] + keys)
    }

    /// Types text literally (no key names).
    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", "main", "-l", text])
    }

    func resize(columns: Int, rows: Int) throws {
        try tmux(["resize-window", "-t", "main", "-x", String(columns), "-y", String(rows)])
    }

    /// Waits (at most `timeout` seconds) until the screen satisfies `condition`; returns it.
    @discardableResult
    func waitForScreen(timeout: Double = 10, _ what: String, _ condition: ([String]) -> Bool) throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var last: [String] = []
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            usleep(100_000)
        }
        throw E2EError("screen never showed \(what):\n" + last.joined(separator: "\n"))
    }

    @discardableResult
    func waitFor(_ text: String, timeout: Double = 10) throws -> [String] {
        try waitForScreen(timeout: timeout, "\"\(text)\"") { $0.contains { $0.contains(text) } }
    }

    /// The program's exit status, once it has ended (at most `timeout` seconds).
    func exitStatus(timeout: Double = 15) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: statusFile, encoding: .utf8), let status = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return status
            }
            usleep(100_000)
        }
        throw E2EError("the program did not exit within \(timeout) s:\n" + ((try? screen().joined(separator: "\n")) ?? ""))
    }
}
