import Glibc

/// Finds the .torrent files under the catalog's directories (recursively, following no
/// directory twice) and reads each one again only when its size, modification time or inode
/// changed.
///
/// `@unchecked Sendable`: its state (`known`) is used by one thread at a time. `CatalogWatcher`
/// scans once on the thread that calls `start()`, before it starts the watch thread (thread
/// creation orders that scan before everything the new thread does), and from then on only the
/// watch thread scans.
public final class CatalogScanner: @unchecked Sendable {
    public let directories: [String]
    /// Largest .torrent read; bigger files are reported and skipped.
    public static let maxFileBytes = 32 << 20
    /// Files looked at per scan at most: a directory tree cannot make a scan endless.
    public static let maxFiles = 1_000_000

    /// A file that could not be used, and why (logged once per change of the file).
    public struct Problem: Sendable, Equatable {
        public var path: String
        public var reason: String
    }

    /// What tells a changed file: size, modification time (`st_mtim`, to the nanosecond), inode.
    private struct Stamp: Equatable {
        var size: Int
        var seconds: Int
        var nanoseconds: Int
        var inode: UInt
    }

    private var known: [String: (stamp: Stamp, result: Result<TorrentMetainfo, TorrentMetainfo.Failure>)] = [:]

    public init(directories: [String]) {
        self.directories = directories
    }

    /// Walks the directories: every usable file's entry, the problems met for the first time
    /// since the file last changed, and whether anything differs from the last scan.
    public func scan() -> (entries: [CatalogEntry], problems: [Problem], changed: Bool) {
        var seen: [String: (stamp: Stamp, result: Result<TorrentMetainfo, TorrentMetainfo.Failure>)] = [:]
        var problems: [Problem] = []
        var visitedDirectories = Set<UInt>()
        var pending = directories
        var looked = 0
        while let directory = pending.popLast(), looked < Self.maxFiles {
            guard let stream = opendir(directory) else {
                problems.append(Problem(path: directory, reason: "cannot open directory: \(String(cString: strerror(errno)))"))
                continue
            }
            defer { closedir(stream) }
            var info = stat()
            guard fstat(dirfd(stream), &info) == 0, visitedDirectories.insert(UInt(info.st_ino)).inserted else { continue }
            while let item = readdir(stream), looked < Self.maxFiles {
                let name = withUnsafeBytes(of: item.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name == "." || name == ".." || name.hasPrefix(".") { continue }
                let path = directory + "/" + name
                guard stat(path, &info) == 0 else { continue }
                looked += 1
                if info.st_mode & S_IFMT == S_IFDIR {
                    pending.append(path)
                    continue
                }
                guard info.st_mode & S_IFMT == S_IFREG, name.hasSuffix(".torrent") else { continue }
                let stamp = Stamp(size: Int(info.st_size), seconds: info.st_mtim.tv_sec, nanoseconds: info.st_mtim.tv_nsec,
                                  inode: UInt(info.st_ino))
                if let before = known[path], before.stamp == stamp {
                    seen[path] = before
                    continue
                }
                let result = Self.read(path, size: Int(info.st_size))
                if case .failure(let failure) = result { problems.append(Problem(path: path, reason: failure.description)) }
                seen[path] = (stamp, result)
            }
        }
        let changed = seen.count != known.count || seen.contains { known[$0.key]?.stamp != $0.value.stamp }
        known = seen
        let entries = seen.compactMap { path, file in (try? file.result.get()).map { CatalogEntry(metainfo: $0, path: path) } }
        return (entries, problems, changed)
    }

    private static func read(_ path: String, size: Int) -> Result<TorrentMetainfo, TorrentMetainfo.Failure> {
        guard size <= maxFileBytes else { return .failure(.invalid("file: larger than \(maxFileBytes >> 20) MB")) }
        do {
            guard let bytes = try PrivateFiles.read(path, maxBytes: maxFileBytes, followingLinks: true) else {
                return .failure(.invalid("file: gone while read"))
            }
            return Result { () throws(TorrentMetainfo.Failure) in try TorrentMetainfo.parse(bytes) }
        } catch {
            return .failure(.invalid("file: \(error)"))
        }
    }
}
