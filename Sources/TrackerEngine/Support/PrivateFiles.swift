import Glibc

/// The tracker's own files: a data directory only its user can enter (0700), files only its user
/// can read (0600), never opened through a symbolic link (someone else's link in a shared
/// directory must not redirect a write), rewritten whole by temp file + fsync + rename so a crash
/// leaves the old or the new content, never half of either.
public enum PrivateFiles {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ what: String, _ path: String, errno code: Int32 = errno) {
            description = "\(what) \(path): \(String(cString: strerror(code)))"
        }
    }

    /// The largest file read back (moderation lists); a bigger one is refused, not loaded.
    public static let maxReadBytes = 64 << 20

    /// Every file and directory the process creates from now on is its user's alone (umask 077):
    /// the managed redis-server's append-only file and log too, which it creates itself.
    public static func restrictNewFiles() {
        umask(0o077)
    }

    /// Creates `path` (and its parents) with mode 0700; an existing directory of ours is narrowed
    /// to 0700 when `narrowingExisting` (the data directory), left as it is otherwise.
    public static func makeDirectory(_ path: String, narrowingExisting: Bool = true) throws {
        // Parents are ordinary directories (an existing one fails with EEXIST, which is fine).
        var parent = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/").dropLast() {
            parent += "/" + part
            _ = mkdir(parent, 0o755)
        }
        if mkdir(path, 0o700) != 0, errno != EEXIST { throw Failure("cannot create directory", path) }
        var info = stat()
        guard lstat(path, &info) == 0 else { throw Failure("cannot inspect", path) }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw Failure("not a directory:", path, errno: ENOTDIR) }
        if narrowingExisting, info.st_uid == geteuid(), info.st_mode & 0o077 != 0 { _ = chmod(path, 0o700) }
    }

    /// Opens `path` for appending (created 0600), refusing a symbolic link.
    public static func openForAppending(_ path: String) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure("cannot open", path) }
        _ = fchmod(fd, 0o600)
        return fd
    }

    /// The bytes of `path`, nil when it does not exist; refuses a non-regular file, one over
    /// `maxBytes` and, unless `followingLinks`, a symbolic link.
    public static func read(_ path: String, maxBytes: Int = maxReadBytes, followingLinks: Bool = false) throws -> [UInt8]? {
        // O_NONBLOCK: a FIFO put where a file was expected must not hang the reader in open();
        // it is refused below as not a regular file.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followingLinks ? 0 : O_NOFOLLOW))
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw Failure("cannot open", path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure("cannot inspect", path) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw Failure("not a regular file:", path, errno: EINVAL) }
        guard info.st_size <= maxBytes else { throw Failure("too large to load:", path, errno: EFBIG) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count <= maxBytes {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw Failure("cannot read", path) }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
        }
        throw Failure("too large to load:", path, errno: EFBIG)
    }

    /// Replaces `path` with `bytes`: a 0600 temporary file beside it, written, fsynced, renamed over it.
    public static func replace(_ path: String, with bytes: [UInt8]) throws {
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure("cannot create", temporary) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                let failure = Failure("cannot write", temporary)
                close(fd)
                unlink(temporary)
                throw failure
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            let failure = Failure("cannot sync", temporary)
            close(fd)
            unlink(temporary)
            throw failure
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let failure = Failure("cannot rename over", path)
            unlink(temporary)
            throw failure
        }
        // The rename itself is durable once the directory is synced.
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let dirfd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            _ = fsync(dirfd)
            close(dirfd)
        }
    }
}
