import Testing
@testable import trackertui
import TrackerEngine

/// Which front ends the command line turns on: both on the defaults when neither `--http` nor
/// `--udp` is given, otherwise only what is given; `--no-udp` turns UDP off.
@Suite("Engine options: listeners")
struct EngineOptionsTests {
    static func listeners(_ arguments: [String]) throws -> (http: [String], udp: [String]) {
        let config = try EngineOptions.parse(arguments).configuration()
        return (config.http.map(\.description), config.udp.map(\.description))
    }

    @Test("neither --http nor --udp: HTTP and UDP on 6969, IPv4 and IPv6")
    func defaults() throws {
        let both = try Self.listeners([])
        #expect(both.http == ListenAddress.defaults.map(\.description) && both.udp == ListenAddress.defaults.map(\.description))
        #expect(both.http.contains("0.0.0.0:6969") && both.http.contains("[::]:6969"))
    }

    @Test("only what is given is served; --no-udp keeps HTTP's defaults; --no-udp with --udp is refused")
    func given() throws {
        #expect(try Self.listeners(["--http", "127.0.0.1:7000"]) == (["127.0.0.1:7000"], []))
        #expect(try Self.listeners(["--udp", "[::1]:7001"]) == ([], ["[::1]:7001"]))
        #expect(try Self.listeners(["--http", "127.0.0.1:7000", "--udp", "127.0.0.1:7000"]) == (["127.0.0.1:7000"], ["127.0.0.1:7000"]))
        let noUDP = try Self.listeners(["--no-udp"])
        #expect(noUDP.http == ListenAddress.defaults.map(\.description) && noUDP.udp.isEmpty)
        #expect(throws: (any Error).self) { try EngineOptions.parse(["--no-udp", "--udp", "127.0.0.1:1"]) }
        #expect(throws: (any Error).self) { try EngineOptions.parse(["--udp", "nonsense"]) }
    }
}
