import Foundation

/// One request on its own connection: what a tracker client does.
enum HTTPProbe {
    typealias Response = LoopbackClient.Response

    static func get(host: String, port: Int, path: String, headers: [String] = [], source: String? = nil) throws -> Response {
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n"
        return try send(host: host, port: port, bytes: Array(request.utf8), source: source)
    }

    /// Sends the bytes, half-closes (a request cut short reaches end of input at the tracker),
    /// and reads the answer.
    static func send(host: String, port: Int, bytes: [UInt8], source: String? = nil) throws -> Response {
        let client = try LoopbackClient(host: host, port: port, source: source)
        try client.send(bytes)
        client.finishSending()
        return try client.readResponse()
    }
}
