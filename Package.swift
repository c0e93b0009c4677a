// swift-tools-version: 6.2
import PackageDescription

/// Every Swift target opts into the same upcoming features, so imports are explicit and existentials visible.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let unixSignals = Target.Dependency.product(name: "UnixSignals", package: "swift-service-lifecycle")
let lifecycleTestKit = Target.Dependency.product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle")
let inMemoryLogging = Target.Dependency.product(name: "InMemoryLogging", package: "swift-log")

let package = Package(
    name: "make-mcp-gateway",
    products: [
        .executable(name: "make-mcp-gateway", targets: ["MakeMCPGateway"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // C libraries: each is imported by exactly one Swift target.
        .systemLibrary(name: "CLinux"),
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // The event loops that the HTTP server and the Redis client share, and that requests' tasks run on.
        .target(name: "EventLoops", dependencies: ["CLinux"], swiftSettings: settings),

        // Leaves.
        .target(name: "HTTPServer", dependencies: ["CLinux", "EventLoops", logging, lifecycle], swiftSettings: settings),
        .target(name: "MCPProtocol", dependencies: [logging], swiftSettings: settings),
        .target(name: "Cryptography", dependencies: ["COpenSSL"], swiftSettings: settings),
        .target(name: "Stores", dependencies: ["CHiredis", "EventLoops", logging], swiftSettings: settings),
        .target(name: "OutboundHTTP", dependencies: ["CCurl"], swiftSettings: settings),

        // Domain.
        .target(name: "MakeClient", dependencies: ["OutboundHTTP"], swiftSettings: settings),
        .target(name: "Auth", dependencies: ["Cryptography", "Stores", "MakeClient", "OutboundHTTP"],
                swiftSettings: settings),

        // Composition and the thin executable.
        .target(
            name: "Gateway",
            dependencies: ["EventLoops", "HTTPServer", "MCPProtocol", "Cryptography", "Stores", "MakeClient", "Auth",
                           logging, lifecycle],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "MakeMCPGateway",
            dependencies: ["Gateway", logging, lifecycle, unixSignals],
            swiftSettings: settings
        ),

        // Benchmark tool: an MCP load client (`make bench`); not shipped.
        .executableTarget(name: "MCPLoad", dependencies: ["CLinux"], path: "bench/MCPLoad", swiftSettings: settings),

        // The Make stand-in: a real HTTP server process that follows the Make API and OAuth, for tests; not shipped.
        .executableTarget(
            name: "MakeStandIn",
            dependencies: ["HTTPServer", logging, lifecycle, unixSignals],
            path: "Tests/MakeStandIn",
            swiftSettings: settings
        ),

        // Test-only code.
        .target(name: "TestSupport", dependencies: ["HTTPServer", "Stores", logging], swiftSettings: settings),
        .testTarget(
            name: "HTTPServerTests",
            dependencies: ["EventLoops", "HTTPServer", "TestSupport", logging, inMemoryLogging, lifecycle,
                           lifecycleTestKit],
            resources: [.copy("FuzzRegressions")],
            swiftSettings: settings
        ),
        .testTarget(name: "EventLoopsTests", dependencies: ["EventLoops"], swiftSettings: settings),
        .testTarget(name: "MCPProtocolTests", dependencies: ["MCPProtocol", logging], swiftSettings: settings),
        .testTarget(name: "CryptographyTests", dependencies: ["Cryptography"], swiftSettings: settings),
        .testTarget(name: "StoresTests", dependencies: ["EventLoops", "Stores", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "OutboundHTTPTests", dependencies: ["OutboundHTTP", "HTTPServer", "TestSupport"],
                    swiftSettings: settings),
        .testTarget(name: "MakeStandInTests", dependencies: ["TestSupport"], swiftSettings: settings),
        .testTarget(name: "MakeClientTests", dependencies: ["MakeClient", "OutboundHTTP", "HTTPServer", "TestSupport"],
                    swiftSettings: settings),
        .testTarget(
            name: "GatewayTests",
            dependencies: ["Gateway", "HTTPServer", "MCPProtocol", "Cryptography", "Stores", "TestSupport", logging,
                           lifecycle, lifecycleTestKit],
            swiftSettings: settings
        ),
    ],
    swiftLanguageModes: [.v6]
)
