import Glibc

/// A child process spawned with a clean signal state: no blocked signals and default handlers,
/// whatever thread spawns it. (Foundation's `Process` passes on the spawning thread's signal
/// mask, and worker threads block SIGTERM, so such a child ignores a polite stop.)
/// Its output goes to /dev/null.
final class ChildProcess: Sendable {
    let pid: Int32

    init(executable: String, arguments: [String]) throws {
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
        posix_spawn_file_actions_addopen(&files, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&files, 2, "/dev/null", O_WRONLY, 0)

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
    var isRunning: Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits until it exits, at most `timeout` seconds; true if it did.
    func wait(timeout: Double) -> Bool {
        var waited = 0.0
        while isRunning {
            if waited >= timeout { return false }
            usleep(10_000)
            waited += 0.01
        }
        return true
    }
}
