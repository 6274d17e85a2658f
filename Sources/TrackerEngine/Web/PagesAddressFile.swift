/// Where a running tracker serves its web pages, kept in `<data-dir>/pages` for the admin
/// commands (the memory store's swarms live in the tracker's process: `torrents list` and
/// `peers` ask its `/stats.json`). One `HOST:PORT` line; a wildcard listener is written as the
/// loopback address of its family, since the commands run on the same host.
public enum PagesAddressFile {
    public static func path(in directory: String) -> String { directory + "/pages" }

    /// Notes the first `--admin` listener, or else the first HTTP listener; nothing without either.
    static func write(admin: [ListenAddress], http: [ListenAddress], directory: String) throws {
        guard var address = admin.first ?? http.first else { return }
        if address.host == "0.0.0.0" { address.host = "127.0.0.1" }
        if address.host == "::" { address.host = "::1" }
        try PrivateFiles.replace(path(in: directory), with: Array((address.description + "\n").utf8))
    }

    /// The address noted in `directory`; nil when there is none or it does not parse.
    public static func read(directory: String) -> ListenAddress? {
        guard let bytes = try? PrivateFiles.read(path(in: directory), maxBytes: 256) else { return nil }
        return bytes.split(separator: UInt8(ascii: "\n")).first.flatMap { ListenAddress(String(decoding: $0, as: UTF8.self)) }
    }
}
