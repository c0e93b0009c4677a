internal import Logging
internal import MCPProtocol

/// What the gateway records about every MCP request: JSON-RPC and tool-call metrics, a server span (the child of
/// the request's `_meta.traceparent`, else of its HTTP `traceparent`, else a new trace), and one log line per tool
/// call with the tool, outcome, duration, the session and user as pseudonyms, the request id and the trace id.
struct GatewayObserver: MCPServerObserver {
    let metrics: GatewayMetrics
    let tracer: Tracer
    let pseudonym: LogPseudonym
    let logger: Logger

    /// The methods counted by name; anything else a client sends is `other`, so labels stay bounded.
    static let knownMethods: Set<String> = [
        "initialize", "ping", "tools/list", "tools/call", "resources/list", "resources/templates/list",
        "resources/read", "resources/subscribe", "resources/unsubscribe", "prompts/list", "prompts/get",
        "logging/setLevel", "completion/complete",
    ]

    private static func label(_ method: String) -> String { knownMethods.contains(method) ? method : "other" }

    func answered(method: String, isError: Bool) {
        metrics.jsonRPCRequests.increment([Self.label(method), isError ? "error" : "result"])
    }

    func run(_ method: String, context: MCPRequestContext,
             _ body: @Sendable () async -> JSONRPCMessage) async -> JSONRPCMessage {
        let parent = context.meta?["traceparent"]?.stringValue.flatMap(TraceContext.init(traceparent:))
            ?? TraceContext.current
        let response = await tracer.span(
            "mcp \(Self.label(method))", kind: .server, parent: parent,
            attributes: [("rpc.system", "jsonrpc"), ("rpc.method", Self.label(method))],
            isError: { if case .errorResponse = $0 { true } else { false } }
        ) { await body() }
        if case .errorResponse = response {
            answered(method: method, isError: true)
        } else {
            answered(method: method, isError: false)
        }
        return response
    }

    func toolFinished(_ tool: MCPTool, outcome: String, seconds: Double, context: MCPRequestContext) {
        // Scenario tools are named after their scenarios and ids: one label for all of them.
        let name = tool.name.hasPrefix("run_") ? "scenario" : tool.name
        metrics.toolCalls.increment([name, outcome])
        metrics.toolDuration.observe(seconds, [name])
        // The pseudonyms are HMACs: worth computing only for a line that will be written.
        guard logger.logLevel <= .info else { return }
        var metadata: Logger.Metadata = [
            "mcp.tool": "\(name)", "mcp.outcome": "\(outcome)", "duration_ms": "\(Int(seconds * 1000))",
            "mcp.session": "\(pseudonym(context.session.id))", "user": "\(pseudonym(context.session.principal))",
        ]
        if let scope = RequestScope.current { metadata["request.id"] = "\(scope.requestID)" }
        if let trace = TraceContext.current { metadata["trace.id"] = "\(trace.traceID)" }
        logger.info("tool call", metadata: metadata)
    }
}
