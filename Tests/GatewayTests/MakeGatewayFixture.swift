import Foundation
import TestSupport
import Testing

/// The gateway in static-token mode in front of a fresh Make stand-in, reached through its normal configuration
/// (`MAKE_API_URL`) and libcurl path.
struct MakeGatewayFixture {
    let standIn: StandInProcess
    let gateways: [GatewayProcess]

    var gateway: GatewayProcess { gateways[0] }

    /// Starts a stand-in with `standInArguments` and `count` gateways pointed at it with `environment` on top.
    static func launch(
        standInArguments: [String] = [], environment: [String: String] = [:], count: Int = 1
    ) async throws -> MakeGatewayFixture {
        let standIn = try await StandInProcess.launch(standInArguments)
        var base = [
            "MAKE_API_TOKEN": StandInProcess.apiToken, "MAKE_API_URL": "http://127.0.0.1:\(standIn.port)/api/v2",
            "MAKE_ALLOW_HTTP": "on", "RATE_LIMIT_REQUESTS": "0", "RATE_LIMIT_READS": "0", "RATE_LIMIT_WRITES": "0",
            "RATE_LIMIT_RUNS": "0",
        ]
        base.merge(environment) { $1 }
        var gateways: [GatewayProcess] = []
        do {
            for _ in 0..<count { gateways.append(try await GatewayProcess.launch(environment: base)) }
        } catch {
            gateways.forEach { $0.stop() }
            standIn.kill()
            throw error
        }
        return MakeGatewayFixture(standIn: standIn, gateways: gateways)
    }

    /// Kills every process by PID; for a `defer`.
    func stop() {
        gateways.forEach { $0.stop() }
        standIn.kill()
    }

    /// An initialized Streamable HTTP session on gateway `index`, opened at `/mcp` plus `query`.
    func session(_ query: String = "", on index: Int = 0) async throws -> StreamableClient {
        var client = try await StreamableClient.connect(port: gateways[index].port)
        client.path = "/mcp" + query
        try await client.initialize()
        return client
    }

    /// What the stand-in counted: `total`, `byRoute` (`GET /scenarios`), `rateLimit` and the recent requests.
    func standInRequests() async throws -> [String: Any] {
        try await standIn.request("GET", "/__standin/requests", authorization: nil).json
    }

    /// Requests the stand-in answered for one route template, such as `GET /scenarios/{scenarioId}`.
    func count(_ route: String) async throws -> Int {
        (try await standInRequests()["byRoute"] as? [String: Any])?[route] as? Int ?? 0
    }

    /// Adds fault rules (see the stand-in's `FaultInjector`).
    func inject(_ rules: [[String: Any]]) async throws {
        let body = String(decoding: try JSONSerialization.data(withJSONObject: rules), as: UTF8.self)
        #expect(try await standIn.request("POST", "/__standin/faults", body: body, authorization: nil).status == 200)
    }
}

/// A tool call's outcome as a client sees it.
struct ToolOutcome {
    let result: [String: Any]

    var isError: Bool { result["isError"] as? Bool ?? false }
    var text: String { ((result["content"] as? [[String: Any]])?.first?["text"] as? String) ?? "" }
    var structured: [String: Any]? { result["structuredContent"] as? [String: Any] }
    /// The text parsed as JSON, for results that are JSON text (arrays, objects).
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) }
}

extension StreamableClient {
    /// A request whose JSON-RPC response is a JSON body; returns the whole message.
    func request(_ method: String, _ params: [String: Any] = [:], id: Int = 2) async throws -> [String: Any] {
        let message: [String: Any] = ["jsonrpc": "2.0", "id": id, "method": method, "params": params]
        let body = String(decoding: try JSONSerialization.data(withJSONObject: message), as: UTF8.self)
        let response = try await post(body, headers: ["MCP-Protocol-Version": "2025-06-18"])
        #expect(response.status == 200, "\(method): \(response.bodyText)")
        return response.json
    }

    func call(_ tool: String, _ arguments: [String: Any] = [:], id: Int = 2) async throws -> ToolOutcome {
        let message = try await request("tools/call", ["name": tool, "arguments": arguments], id: id)
        return ToolOutcome(result: try #require(message["result"] as? [String: Any], "\(tool): \(message)"))
    }

    /// Every page of `tools/list`.
    func listTools() async throws -> [[String: Any]] {
        var tools: [[String: Any]] = []
        var cursor: String?
        repeat {
            let result = try #require(try await request("tools/list", cursor.map { ["cursor": $0] } ?? [:])["result"]
                as? [String: Any])
            tools += result["tools"] as? [[String: Any]] ?? []
            cursor = result["nextCursor"] as? String
        } while cursor != nil
        return tools
    }

    func toolNames() async throws -> [String] {
        try await listTools().compactMap { $0["name"] as? String }
    }
}
