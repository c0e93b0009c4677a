// swift-tools-version: 6.2
// The official MCP Swift SDK as a client of the gateway, kept out of the main package so the gateway's own build
// never resolves the SDK's dependencies. `make test` builds it; GatewayTests runs it against a live gateway.
import PackageDescription

let package = Package(
    name: "swift-sdk-client",
    platforms: [.macOS(.v13)],
    dependencies: [.package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", from: "0.12.1")],
    targets: [
        .executableTarget(name: "SwiftSDKClient", dependencies: [.product(name: "MCP", package: "swift-sdk")])
    ],
    swiftLanguageModes: [.v6]
)
