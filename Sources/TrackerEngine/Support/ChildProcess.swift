import CLinuxNet
import Glibc

/// A child process spawned with a clean signal state: no blocked signals and default handlers,
/// whatever thread spawns it. (Foundation's `Process` passes on the spawning thread's signal
/// mask, and worker threads block SIGTERM, so such a child ignores a polite stop.)
/// Its output goes to /dev/null unless `outputPath` names a file to append to; it inherits no
/// other descriptor (a long-lived redis-server holding the write end of someone's pipe would
/// keep that reader from ever seeing the end of it).
public final class ChildProcess: Sendable {
    public let pid: Int32
    private let status = Locked<Int32?>(nil)

    public init(executable: String, arguments: [String], outputPath: String? = nil) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var files = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&files)
        defer { posix_spawn_file_actions_destroy(&files) }
        posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0)
        let output = outputPath ?? "/dev/null"
        posix_spawn_file_actions_addopen(&files, 1, output, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0o600)
        posix_spawn_file_actions_adddup2(&files, 1, 2)
        clinuxnet_spawn_close_from(&files, 3)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &files, &attributes, argv, environ)
        guard status == 0 else { throw SpawnFailure(errno: status) }
        pid = child
    }

    struct SpawnFailure: Error, CustomStringConvertible {
        let errno: Int32
        var description: String { "spawn failed: \(String(cString: strerror(errno)))" }
    }

    /// Whether it still runs; reaps it once it has exited.
    public var isRunning: Bool {
        status.update { known in
            if known != nil { return false }
            var raw: Int32 = 0
            let reaped = waitpid(pid, &raw, WNOHANG)
            if reaped == 0 { return true }
            // Exited: its code, or 128 + the signal that ended it (as a shell reports it).
            known = reaped == pid ? ((raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)) : -1
            return false
        }
    }

    /// The exit status once it has exited (128 + signal when a signal ended it).
    public var exitStatus: Int32? {
        _ = isRunning
        return status.update { $0 }
    }

    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits until it exits, at most `timeout` seconds; true if it did.
    public func wait(timeout: Double) -> Bool {
        var waited = 0.0
        while isRunning {
            if waited >= timeout { return false }
            usleep(10_000)
            waited += 0.01
        }
        return true
    }
}
