internal import Logging
internal import MCPProtocol

/// What the gateway itself offers over MCP, before any Make tool: `gateway_info`, the `gateway://` resources, a
/// prompt that explains a tool, and, when `DIAGNOSTIC_TOOLS=on`, `gateway_wait` for testing clients.
enum GatewayCapabilities {
    struct Facts: Sendable {
        var version: String
        var replicaID: String
        var storeKind: String
    }

    /// Registers everything on `registry`.
    ///
    /// - Parameters:
    ///   - logger: Where `gateway_wait` records that it was cancelled, which a client cannot see by design.
    ///   - resourceUpdated: Told the URI of a `gateway://tools/{name}` resource whenever that tool is added,
    ///     replaced or removed, so subscribers hear of it.
    static func register(
        on registry: MCPRegistry, facts: Facts, diagnosticTools: Bool, logger: Logger,
        resourceUpdated: @escaping @Sendable (String) -> Void
    ) throws {
        registry.observe { change in
            if case .tools(let names) = change {
                for name in names { resourceUpdated("gateway://tools/\(name)") }
            }
        }
        let info = infoValue(facts)
        registry.add(try MCPTool(
            name: "gateway_info",
            title: "Gateway information",
            description: "Reports this gateway's version, which replica answered, which session store it uses and the MCP "
                + "protocol versions it speaks. Takes no arguments.",
            inputSchema: ["type": "object", "properties": [:], "additionalProperties": false],
            outputSchema: [
                "type": "object",
                "properties": [
                    "version": ["type": "string"],
                    "replica": ["type": "string"],
                    "store": ["type": "string", "enum": ["memory", "redis"]],
                    "protocolVersions": ["type": "array", "items": ["type": "string"]],
                ],
                "required": ["version", "replica", "store", "protocolVersions"],
            ],
            annotations: MCPToolAnnotations(title: "Gateway information", readOnlyHint: true, idempotentHint: true,
                                            openWorldHint: false)
        ) { _, _ in .json(info) })

        registry.add(MCPResource(
            uri: "gateway://info", name: "gateway-info", title: "Gateway information",
            description: "The same facts as the gateway_info tool."
        ) { _ in [MCPResourceContents(uri: "gateway://info", text: String(decoding: info.serialized(), as: UTF8.self))] })

        registry.add(MCPResourceTemplate(
            uriTemplate: "gateway://tools/{name}", name: "tool-definition", title: "Tool definition",
            description: "The full definition of one tool, input schema included.",
            read: { uri, variables, context in
                let name = variables["name"] ?? ""
                guard let tool = registry.tool(named: name) else { throw MCPServer.resourceNotFound(uri) }
                let version = context.session.protocolVersion ?? .latest
                return [MCPResourceContents(uri: uri, text: String(decoding: tool.definition(for: version).serialized(),
                                                                   as: UTF8.self))]
            },
            complete: { _, prefix, _, _ in toolNames(registry, startingWith: prefix) }
        ))

        registry.add(MCPPrompt(
            name: "explain_tool", title: "Explain a tool",
            description: "Asks the model to explain when and how to use one of this gateway's tools.",
            arguments: [MCPPromptArgument(name: "tool", description: "The tool's name", isRequired: true)],
            render: { arguments, context in
                let name = arguments["tool"] ?? ""
                guard let tool = registry.tool(named: name) else {
                    throw JSONRPCError.invalidParams("unknown tool: \(name)")
                }
                let definition = String(decoding: tool.definition(for: context.session.protocolVersion ?? .latest)
                    .serialized(), as: UTF8.self)
                let text = "Explain when to use the tool \(name), what each argument means and what it returns, "
                    + "with one example call. Its definition:\n\(definition)"
                return ("How to use \(name)", [MCPPromptMessage(role: .user, content: .text(text))])
            },
            complete: { _, prefix, _, _ in toolNames(registry, startingWith: prefix) }
        ))

        if diagnosticTools {
            registry.add(try waitTool(logger: logger))
        }
    }

    private static func infoValue(_ facts: Facts) -> JSONValue {
        [
            "version": .string(facts.version),
            "replica": .string(facts.replicaID),
            "store": .string(facts.storeKind),
            "protocolVersions": .array(MCPProtocolVersion.allCases.map { .string($0.rawValue) }),
        ]
    }

    private static func toolNames(_ registry: MCPRegistry, startingWith prefix: String) -> [String] {
        registry.tools.map(\.name).filter { $0.hasPrefix(prefix) }
    }

    /// Waits, reporting progress (and a log line) at each step; cancellable. For exercising clients' progress,
    /// cancellation and timeout handling.
    ///
    /// A cancelled call answers nothing (MCP §Cancellation), so the only trace that its work stopped is the debug
    /// line it logs here, naming the request and the step it stopped in.
    private static func waitTool(logger: Logger) throws -> MCPTool {
        try MCPTool(
            name: "gateway_wait",
            title: "Wait (diagnostics)",
            description: "Waits for the given time in equal steps, reporting progress after each, then returns. "
                + "For testing a client's progress, cancellation and timeout handling.",
            inputSchema: [
                "type": "object",
                "properties": [
                    "milliseconds": ["type": "integer", "minimum": 0, "maximum": 600_000],
                    "steps": ["type": "integer", "minimum": 1, "maximum": 1000],
                ],
                "required": ["milliseconds"],
                "additionalProperties": false,
            ],
            annotations: MCPToolAnnotations(readOnlyHint: true, openWorldHint: false)
        ) { arguments, context in
            let total = arguments["milliseconds"]?.int64Value ?? 0
            let steps = arguments["steps"]?.int64Value ?? 1
            for step in 1...steps {
                do {
                    try await Task.sleep(for: .milliseconds(total / steps))
                } catch {
                    logger.debug("diagnostic wait cancelled",
                                 metadata: ["mcp.request": "\(context.requestID)", "step": "\(step)"])
                    throw error
                }
                context.reportProgress(Double(step), total: Double(steps), message: "step \(step) of \(steps)")
                context.log(.info, logger: "gateway_wait", data: .string("step \(step) of \(steps)"))
            }
            return .text("waited \(total) ms in \(steps) steps")
        }
    }
}
