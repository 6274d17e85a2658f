import Atomics
import Dispatch
import Foundation
import Glibc
import Logging
import TrackerEngine

/// What both dashboard modes share around the loop: a terminal check, logging to a file and
/// the in-app log, signals turned into a clean stop, and the loop run on the main thread.
enum TerminalSession {
    /// The dashboard needs a terminal on stdin and stdout.
    static func requireTerminal() throws {
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw TerminalError("the dashboard needs a terminal; run `trackertui serve` for a headless tracker")
        }
    }

    /// Sends every log line to `logFile` and the dashboard's ring: nothing may write to the terminal.
    static func bootstrapLogging(logFile path: String, level: Logger.Level, ring: LogRing) throws -> Logger {
        let file: LogFile
        do {
            try PrivateFiles.makeDirectory((path as NSString).deletingLastPathComponent, narrowingExisting: false)
            file = try LogFile(path: path)
        } catch {
            throw TerminalError("cannot open the log file \(path): \(error.localizedDescription)")
        }
        LoggingSystem.bootstrap { label in
            var handler = DashboardLogHandler(label: label, ring: ring, file: file)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "trackertui")
    }

    /// SIGINT, SIGTERM and SIGHUP (the ssh session closing) set `stop` instead of killing the process.
    static func stopOnSignals(_ stop: ManagedAtomic<Bool>) -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.store(true, ordering: .relaxed) }
            source.resume()
            return source
        }
    }

    /// Runs `body` on the main thread (which owns the terminal) and waits for it.
    static func onMainThread(_ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.main.async {
                body()
                done.resume()
            }
        }
    }

    static var colorsWanted: Bool {
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"] ?? ""
        return noColor.isEmpty
    }
}

struct TerminalError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
