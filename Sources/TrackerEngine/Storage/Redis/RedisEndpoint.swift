import Foundation

/// Where a Redis server is and how to log in:
/// `redis://[:password@]host[:port][/db]` or `unix:///path/to/socket[?db=N][&password=P]`.
public struct RedisEndpoint: Sendable, Equatable, CustomStringConvertible {
    public enum Address: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    public var address: Address
    public var password: String?
    public var database: Int

    public init(address: Address, password: String? = nil, database: Int = 0) {
        self.address = address
        self.password = password
        self.database = database
    }

    public init?(url text: String) {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased() else { return nil }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        switch scheme {
        case "redis":
            guard let host = url.host, !host.isEmpty else { return nil }
            let db = url.path.split(separator: "/").first.map(String.init) ?? query["db"] ?? "0"
            guard let database = Int(db), database >= 0 else { return nil }
            let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
            self.init(address: .tcp(host: bare, port: url.port ?? 6379), password: url.password ?? query["password"],
                      database: database)
        case "unix":
            guard !url.path.isEmpty, let database = Int(query["db"] ?? "0"), database >= 0 else { return nil }
            self.init(address: .unix(path: url.path), password: url.password ?? query["password"], database: database)
        default:
            return nil
        }
    }

    /// The address without the password.
    public var description: String {
        switch address {
        case let .tcp(host, port): return "redis://\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
        case .unix(let path): return "unix://\(path)?db=\(database)"
        }
    }
}
