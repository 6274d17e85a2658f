import CLinuxNet
import Glibc
import Logging

/// Keeps a `TorrentCatalog` in step with its directories: a scan at start, then again whenever
/// inotify reports a change under them (settled for a quarter of a second, so a file being
/// copied is read once it is whole), every `pollSeconds` in any case (a directory inotify cannot
/// watch: another filesystem, the watch limit reached), and on `rescan()` (SIGHUP, which also
/// calls `onChange`, so lists read beside the catalog are read again).
public final class CatalogWatcher: Sendable {
    public let catalog: TorrentCatalog
    private let directories: [String]
    private let pollSeconds: Int32
    private let logger: Logger
    /// Called with the catalog's hashes after every scan that changed something, and after every
    /// scan asked for by `rescan()`.
    private let onChange: @Sendable (Set<InfoHash>) -> Void
    private let thread = ThreadGroup()
    private let rescanAsked = Locked(false)

    public init(directories: [String], catalog: TorrentCatalog = TorrentCatalog(), pollSeconds: Int32 = 5, logger: Logger,
                onChange: @escaping @Sendable (Set<InfoHash>) -> Void = { _ in }) {
        self.directories = directories
        self.catalog = catalog
        self.pollSeconds = pollSeconds
        self.logger = logger
        self.onChange = onChange
    }

    /// Watches the directories, then scans once (the catalog is full when this returns, and a
    /// change made after it is seen), then keeps watching on a thread of its own.
    public func start() {
        let inotify = inotify_init1(O_NONBLOCK | O_CLOEXEC)  // the values inotify's own flags have
        var watched = Set<String>()
        if inotify >= 0 { addWatches(inotify, &watched) }
        let scanner = CatalogScanner(directories: directories)
        apply(scanner.scan(), asked: true)
        thread.start("trackertui-catalog") { [self, watched] group in watch(scanner, inotify: inotify, watched: watched, until: group) }
    }

    /// Asks for a scan now (SIGHUP).
    public func rescan() {
        rescanAsked.update { $0 = true }
    }

    public func stop() {
        thread.stop(timeout: 2)
    }

    private func watch(_ scanner: CatalogScanner, inotify: Int32, watched: Set<String>, until group: ThreadGroup) {
        defer { if inotify >= 0 { close(inotify) } }
        var watched = watched
        var lastScan = MonotonicClock.seconds()
        var dirtySince: Double?
        var events = [UInt8](repeating: 0, count: 16_384)
        while !group.isStopping {
            var descriptor = pollfd(fd: inotify, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, inotify >= 0 ? 1 : 0, 250) > 0 {
                // Only that something changed matters, not what: the events are drained unread.
                while events.withUnsafeMutableBytes({ read(inotify, $0.baseAddress, $0.count) }) == events.count {}
                dirtySince = dirtySince ?? MonotonicClock.seconds()
            }
            let now = MonotonicClock.seconds()
            let asked = rescanAsked.update { asked in defer { asked = false }; return asked }
            let settled = dirtySince.map { now - $0 >= 0.25 } ?? false
            guard asked || settled || now - lastScan >= Double(pollSeconds) else { continue }
            apply(scanner.scan(), asked: asked)
            if inotify >= 0 { addWatches(inotify, &watched) }
            lastScan = now
            dirtySince = nil
        }
    }

    /// Watches every directory under the catalog's (new ones appear with their parent's event).
    private func addWatches(_ inotify: Int32, _ watched: inout Set<String>) {
        var pending = directories
        while let directory = pending.popLast(), watched.count < 8192 {
            if !watched.contains(directory) {
                let mask = UInt32(IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_DELETE_SELF | IN_ATTRIB)
                guard inotify_add_watch(inotify, directory, mask) >= 0 else { continue }
                watched.insert(directory)
            }
            // Subdirectories: a watch each (inotify is not recursive).
            guard let stream = opendir(directory) else { continue }
            defer { closedir(stream) }
            while let item = readdir(stream) {
                let name = withUnsafeBytes(of: item.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name.hasPrefix(".") { continue }
                // Some filesystems leave d_type unknown: stat tells.
                var info = stat()
                let path = directory + "/" + name
                guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
                pending.append(path)
            }
        }
    }

    private func apply(_ scan: (entries: [CatalogEntry], problems: [CatalogScanner.Problem], changed: Bool), asked: Bool) {
        for problem in scan.problems {
            logger.warning("torrent file skipped", metadata: ["file": "\(problem.path)", "reason": "\(problem.reason)"])
        }
        if scan.changed {
            catalog.replace(with: scan.entries)
            logger.notice("catalog loaded", metadata: ["files": "\(scan.entries.count)", "torrents": "\(catalog.all.count)"])
        }
        if scan.changed || asked { onChange(catalog.infoHashes) }
    }
}
