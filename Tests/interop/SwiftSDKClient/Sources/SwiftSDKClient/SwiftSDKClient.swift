import Foundation
import MCP

/// Drives the gateway through the Swift SDK's `HTTPClientTransport` and prints one line per check, `ok …` or
/// `FAIL …`; exits 1 on any failure. Usage: SwiftSDKClient URL json|streaming
@main
struct SwiftSDKClient {
    nonisolated(unsafe) static var failures = 0

    static func check(_ name: String, _ condition: Bool, _ detail: @autoclosure () -> String = "") {
        if condition {
            print("ok \(name)")
        } else {
            failures += 1
            print("FAIL \(name): \(detail())")
        }
    }

    static func main() async throws {
        let url = URL(string: CommandLine.arguments[1])!
        let streaming = CommandLine.arguments[2] == "streaming"
        let transport = HTTPClientTransport(endpoint: url, streaming: streaming)
        let client = Client(name: "swift-sdk-client", version: "1.0")
        let initialized = try await client.connect(transport: transport)
        check("initialize", ["2025-03-26", "2025-06-18", "2025-11-25"].contains(initialized.protocolVersion),
              initialized.protocolVersion)
        check("server name", initialized.serverInfo.name == "make-mcp-gateway", "\(initialized.serverInfo)")

        try await client.ping()
        check("ping", true)

        let (tools, _) = try await client.listTools()
        check("tools/list", tools.contains { $0.name == "gateway_info" }, "\(tools.map(\.name))")

        let (content, isError) = try await client.callTool(name: "gateway_info", arguments: [:])
        var text = ""
        if case .text(let value, _, _)? = content.first { text = value }
        check("tools/call gateway_info", isError != true && text.contains("\"store\":\"memory\""), text)

        let (resources, _) = try await client.listResources()
        check("resources/list", resources.contains { $0.uri == "gateway://info" }, "\(resources)")
        let contents = try await client.readResource(uri: "gateway://info")
        check("resources/read", contents.first?.text?.contains("\"replica\"") == true, "\(contents)")

        let (prompts, _) = try await client.listPrompts()
        check("prompts/list", prompts.contains { $0.name == "explain_tool" }, "\(prompts)")
        let (_, messages) = try await client.getPrompt(name: "explain_tool", arguments: ["tool": "gateway_info"])
        check("prompts/get", messages.count == 1, "\(messages)")

        await client.disconnect()
        print(failures == 0 ? "all checks passed" : "\(failures) checks failed")
        exit(failures == 0 ? 0 : 1)
    }
}
