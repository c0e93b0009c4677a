import Foundation
import TestSupport
import Testing

/// The official MCP Python SDK (`mcp` from PyPI, installed by `make test` into `.build/test-venv`) against the real
/// gateway process, over both transports. The script asserts what the SDK's user sees and prints one line per check.
@Suite("Official MCP Python SDK client", .timeLimit(.minutes(3)))
struct PythonSDKInteropTests {
    static let python = GatewayProcess.packageRoot.appendingPathComponent(".build/test-venv/bin/python").path
    static let script = GatewayProcess.packageRoot.appendingPathComponent("Tests/interop/python_sdk_client.py").path

    @Test("initialize, tools, resources, prompts, completion, progress, cancellation, ping", arguments: [
        ("sse", "/sse"), ("streamable", "/mcp"),
    ])
    func sdkSession(transport: String, path: String) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.python),
                     "the Python SDK venv is missing; `make test` creates it")
        let gateway = try await GatewayProcess.launch(environment: ["DIAGNOSTIC_TOOLS": "on"])
        defer { gateway.stop() }
        let (status, output) = try await GatewayProcess.runProgram(
            Self.python, arguments: ["-W", "ignore", Self.script, "http://127.0.0.1:\(gateway.port)\(path)", transport])
        #expect(status == 0, "\(output)")
        #expect(output.contains("all checks passed"), "\(output)")
    }
}
