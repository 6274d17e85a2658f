import Foundation
import Logging
import TrackerEngine

/// The last lines logged, for the dashboard's log view (nothing may write to the terminal
/// while curses owns it).
final class LogRing: Sendable {
    private struct Lines: Sendable {
        var lines: [String] = []
        var version = 0
    }

    private let storage = Locked(Lines())
    let capacity: Int

    init(capacity: Int = 1000) {
        self.capacity = capacity
    }

    func append(_ line: String) {
        storage.update { s in
            s.lines.append(line)
            if s.lines.count > capacity { s.lines.removeFirst(s.lines.count - capacity) }
            s.version += 1
        }
    }

    var version: Int { storage.value.version }
    var lines: [String] { storage.value.lines }
}

/// swift-log handler of the dashboard modes: each line goes to the log file and to the ring.
struct DashboardLogHandler: LogHandler {
    let label: String
    let ring: LogRing
    let file: LogFile?
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let level = event.level, message = event.message
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let time = LogFile.timestamp()
        let text = "\(time.suffix(8)) \(level) \(message)" + (fields.isEmpty ? "" : " " + fields)
        ring.append(text)
        file?.write("\(time) \(level) \(label): \(message)" + (fields.isEmpty ? "" : " " + fields) + "\n")
    }
}

/// An append-only log file shared by every logger of the process, private to the tracker's user
/// (0600, never opened through a symbolic link).
final class LogFile: Sendable {
    private let handle: Locked<FileHandle?>
    let path: String

    init(path: String) throws {
        self.path = path
        self.handle = Locked(FileHandle(fileDescriptor: try PrivateFiles.openForAppending(path), closeOnDealloc: true))
    }

    func write(_ line: String) {
        handle.update { $0?.write(Data(line.utf8)) }
    }

    /// Local time, to the second: 2026-11-21T10:04:05.
    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}
