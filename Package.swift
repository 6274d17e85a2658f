// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "trackertui",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "trackertui", targets: ["trackertui"]),
        .library(name: "TrackerEngine", targets: ["TrackerEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-atomics.git", from: "1.3.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
    ],
    targets: [
        .target(name: "CLinuxNet"),
        // Debian's libhiredis-dev (0.14) and the reader sink written against it.
        .target(name: "CHiredis", linkerSettings: [.linkedLibrary("hiredis")]),
        .systemLibrary(name: "CNCurses", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        .target(
            name: "TrackerEngine",
            dependencies: [
                "CLinuxNet",
                "CHiredis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            // The Redis scripts, compiled into the binary (an installed tracker carries no files).
            resources: ["layout", "swarm", "announce", "count", "kick", "sweep", "deregister"].map { .embedInCode("Storage/Redis/Lua/\($0).lua") }
        ),
        .executableTarget(
            name: "trackertui",
            dependencies: [
                "TrackerEngine",
                "CNCurses",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // libFuzzer targets for every parser of outside bytes (make fuzz); an ordinary build replays corpora.
        .target(name: "CFuzzDriver", path: "Fuzz/Driver"),
        .executableTarget(
            name: "trackertui-fuzz",
            dependencies: ["TrackerEngine", "CFuzzDriver", .product(name: "NIOCore", package: "swift-nio")],
            path: "Fuzz/Targets"
        ),
        // Test doubles shared by the test targets.
        .target(name: "TrackerTestSupport", dependencies: ["TrackerEngine"], path: "Tests/TrackerTestSupport"),
        .testTarget(
            name: "TrackerEngineTests",
            dependencies: [
                "TrackerEngine",
                "TrackerTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "TrackerEngine",
                "TrackerTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Scripts"]
        ),
        .testTarget(
            name: "trackertuiTests",
            dependencies: ["trackertui", "TrackerEngine"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
