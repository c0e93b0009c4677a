import Foundation
import TestSupport
import Testing

/// The official MCP Swift SDK's `HTTPClientTransport` against the real gateway, with JSON responses and with its GET
/// stream open. The client lives in its own package (Tests/interop/SwiftSDKClient), built by `make test`.
@Suite("Official MCP Swift SDK client", .timeLimit(.minutes(2)))
struct SwiftSDKInteropTests {
    static let client = GatewayProcess.packageRoot
        .appendingPathComponent(".build-swift-sdk-client/debug/SwiftSDKClient").path

    @Test("HTTPClientTransport: initialize, ping, tools, resources, prompts", arguments: ["json", "streaming"])
    func sdkSession(mode: String) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.client),
                     "the Swift SDK client is not built; `make test` builds it")
        let gateway = try await GatewayProcess.launch()
        defer { gateway.stop() }
        let (status, output) = try await GatewayProcess.runProgram(
            Self.client, arguments: ["http://127.0.0.1:\(gateway.port)/mcp", mode])
        #expect(status == 0, "\(output)")
        #expect(output.contains("all checks passed"), "\(output)")
    }
}
