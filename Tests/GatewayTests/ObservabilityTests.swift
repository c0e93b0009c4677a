import Foundation
import HTTPServer
import Synchronization
import TestSupport
import Testing

/// What operators see: /metrics, the tool-call and Make-call log lines, and traces exported over OTLP/HTTP.
@Suite("Metrics, logs and traces", .timeLimit(.minutes(2)))
struct ObservabilityTests {
    @Test("/metrics counts HTTP requests, JSON-RPC methods, tool calls and Make calls, with no ids in labels")
    func metrics() async throws {
        let make = try await MakeGatewayFixture.launch(environment: ["SCENARIO_TOOLS": "off"])
        defer { make.stop() }
        let client = try await make.session()
        #expect(try await client.call("scenarios_get", ["scenarioId": 1]).isError == false)
        #expect(try await client.call("executions_get", ["scenarioId": 1, "executionId": "x"]).isError)
        let connection = try await RawHTTPConnection.connect(port: make.gateway.port)
        try await connection.send("GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n")
        let metrics = try await connection.readResponse()
        #expect(metrics.status == 200)
        let body = metrics.bodyText
        #expect(body.contains(#"mcpgw_http_requests_total{route="/mcp",method="POST",status_class="2xx"}"#))
        #expect(body.contains(#"mcpgw_jsonrpc_requests_total{method="tools/call",outcome="result"} 2"#))
        #expect(body.contains(#"mcpgw_tool_calls_total{tool="scenarios_get",outcome="ok"} 1"#))
        #expect(body.contains(#"mcpgw_tool_calls_total{tool="executions_get",outcome="invalid"} 1"#))
        #expect(body.contains(#"mcpgw_make_requests_total{endpoint="/scenarios/{id}/blueprint",status_class="2xx"} 1"#))
        #expect(body.contains("mcpgw_tool_call_duration_seconds_bucket"))
        #expect(body.contains("mcpgw_build_info{version="))
        #expect(body.contains("mcpgw_sse_streams 0"))
        #expect(body.contains("mcpgw_open_connections "))
        #expect(!body.contains(try #require(client.sessionID)))
    }

    @Test("with Redis, /metrics shows Redis up, its round trips timed, and open event streams")
    func redisMetrics() async throws {
        let redis = try await RedisServer.start()
        defer { redis.stop() }
        let gateway = try await GatewayProcess.launch(environment: ["REDIS_URL": redis.url])
        defer { gateway.stop() }
        var client = try await StreamableClient.connect(port: gateway.port)
        try await client.initialize()
        let streamer = try await StreamableClient.connect(port: gateway.port, joining: client.sessionID)
        #expect(try await streamer.get(headers: ["MCP-Protocol-Version": "2025-06-18"]).status == 200)
        let connection = try await RawHTTPConnection.connect(port: gateway.port)
        try await connection.send("GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n")
        let body = try await connection.readResponse().bodyText
        #expect(body.contains("mcpgw_redis_up 1"))
        #expect(body.contains("mcpgw_sse_streams 1"))
        let count = body.split(separator: "\n").first { $0.hasPrefix("mcpgw_redis_command_duration_seconds_count") }
        #expect((count?.split(separator: " ").last).flatMap { Int($0) } ?? 0 > 0)
    }

    @Test("a tool call logs one line: tool, outcome, pseudonymous session and user, request id and the client's trace")
    func toolCallLog() async throws {
        let make = try await MakeGatewayFixture.launch(environment: ["SCENARIO_TOOLS": "off"])
        defer { make.stop() }
        let client = try await make.session()
        let trace = "4bf92f3577b34da6a3ce929d0e0e4736"
        let response = try await client.post(
            #"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"users_me","arguments":{}}}"#,
            headers: ["MCP-Protocol-Version": "2025-06-18", "traceparent": "00-\(trace)-00f067aa0ba902b7-01",
                      "X-Request-Id": "req-observed"])
        #expect(response.status == 200)
        let line = try #require(await make.gateway.waitForLine { $0.contains(#""msg":"tool call""#) })
        #expect(line.contains(#""mcp.tool":"users_me""#))
        #expect(line.contains(#""mcp.outcome":"ok""#))
        #expect(line.contains(#""request.id":"req-observed""#))
        #expect(line.contains(trace))
        #expect(!line.contains(try #require(client.sessionID)))
        let makeLine = try #require(await make.gateway.waitForLine { $0.contains(#""msg":"make call""#) && $0.contains("/users/me") })
        #expect(makeLine.contains(trace))
        #expect(!make.gateway.outputText.contains(StandInProcess.apiToken))
    }

    @Test("with OTLP_ENDPOINT, spans of the MCP request and its Make call reach the collector in one trace")
    func otlpExport() async throws {
        let received = Mutex<[String]>([])
        let signal = TestSignal<Void>()
        try await withTestServer(handler: ClosureHandler { request in
            if request.path == "/v1/traces" {
                received.withLock { $0.append(String(decoding: request.body, as: UTF8.self)) }
                signal.fire(())
            }
            return .json(.ok, Array("{}".utf8))
        }) { _, port in
            let make = try await MakeGatewayFixture.launch(
                environment: ["SCENARIO_TOOLS": "off", "OTLP_ENDPOINT": "http://127.0.0.1:\(port)"])
            defer { make.stop() }
            let client = try await make.session()
            let trace = "0af7651916cd43dd8448eb211c80319c"
            _ = try await client.post(
                #"{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"users_me","arguments":{},"_meta":{"traceparent":"00-\#(trace)-b7ad6b7169203331-01"}}}"#,
                headers: ["MCP-Protocol-Version": "2025-06-18"])
            // Spans go out in batches every second; the request's and the Make call's may come in two.
            var spans = ""
            while !(spans.contains("mcp tools/call") && spans.contains("make GET")), await signal.wait() != nil {
                spans = received.withLock { $0.joined() }
            }
            #expect(spans.contains(trace))
            #expect(spans.contains(#""name":"mcp tools/call""#))
            #expect(spans.contains(#""name":"make GET /users/me""#))
            #expect(spans.contains(#""parentSpanId":"b7ad6b7169203331""#))
        }
    }
}
