package import Logging

/// Who the server is, as `initialize` reports it.
package struct MCPServerInfo: Sendable {
    package var name: String
    package var version: String
    package var title: String?
    package var instructions: String?

    package init(name: String, version: String, title: String? = nil, instructions: String? = nil) {
        self.name = name
        self.version = version
        self.title = title
        self.instructions = instructions
    }
}

/// How the server answers one client message.
package enum MCPReply: Sendable {
    /// Nothing is sent: the message was a notification or a response.
    case none
    /// The answer, ready now.
    case response(JSONRPCMessage)
    /// The answer needs asynchronous work; the transport starts it with ``MCPServer/start(_:session:emit:deliver:)``.
    case deferred(MCPDeferredRequest)
}

/// A request whose answer takes asynchronous work (a tool call, a resource read).
package struct MCPDeferredRequest: Sendable {
    package let id: JSONRPCID
    /// The client's progress token; when present the transport should stream, so progress reaches the client
    /// before the result.
    package let progressToken: JSONValue?
    let meta: JSONObject?
    let operation: @Sendable (MCPRequestContext) async -> JSONRPCMessage
}

/// The MCP method router: turns each client message into a reply, with no I/O of its own.
///
/// Methods that need nothing but memory (`ping`, the lists, `logging/setLevel`) are answered synchronously, so a
/// transport can reply on the thread that read the request; the rest become ``MCPDeferredRequest``s.
package final class MCPServer: Sendable {
    package let info: MCPServerInfo
    package let registry: MCPRegistry
    /// Entries per page of `tools/list`, `resources/list`, `resources/templates/list` and `prompts/list`.
    package let pageSize: Int

    /// Decides, after a call's arguments validate and before the tool runs, whether it may run now; a result it
    /// returns (a rate-limit refusal, say) is the call's answer instead.
    package typealias ToolGate = @Sendable (_ tool: MCPTool, _ context: MCPRequestContext) async -> MCPToolResult?

    private let toolGate: ToolGate?
    private let toolProvider: (any MCPToolProvider)?
    private let observer: (any MCPServerObserver)?
    /// Where internal failures are recorded: the client is told only "Internal error".
    private let logger: Logger

    /// - Parameter toolProvider: Tailors the tools each session sees; without one, every session sees the registry's.
    /// - Parameter observer: Told about every request, for metrics, logs and traces.
    package init(info: MCPServerInfo, registry: MCPRegistry, pageSize: Int = 100, toolGate: ToolGate? = nil,
                 toolProvider: (any MCPToolProvider)? = nil, observer: (any MCPServerObserver)? = nil,
                 logger: Logger) {
        self.info = info
        self.registry = registry
        self.pageSize = max(1, pageSize)
        self.toolGate = toolGate
        self.toolProvider = toolProvider
        self.observer = observer
        self.logger = logger
    }

    /// The session's tools if known now; nil when the provider must load them first.
    private func currentTools(for session: MCPSession) -> [MCPTool]? {
        guard let toolProvider else { return registry.tools }
        return toolProvider.tools(for: session)
    }

    /// The session's tools, loading them if the provider has to.
    private func loadTools(for session: MCPSession) async -> [MCPTool] {
        if let tools = currentTools(for: session) { return tools }
        return await toolProvider?.loadTools(for: session) ?? registry.tools
    }

    /// The capabilities `initialize` advertises: exactly what this router serves.
    package var capabilities: JSONValue {
        [
            "tools": ["listChanged": true],
            "resources": ["subscribe": true, "listChanged": true],
            "prompts": ["listChanged": true],
            "logging": [:],
            "completions": [:],
        ]
    }

    /// Answers one client message for `session`.
    package func handle(_ message: JSONRPCMessage, session: MCPSession) -> MCPReply {
        switch message {
        case .notification(let method, let params):
            handleNotification(method, params: params, session: session)
            return .none
        case .response, .encodedResponse, .errorResponse:
            // The gateway sends no requests to clients, so there is nothing a response could answer.
            return .none
        case .request(let id, let method, let params):
            let reply: MCPReply
            do {
                reply = try handleRequest(id: id, method: method, params: params, session: session)
            } catch {
                reply = .response(.errorResponse(id: id, error: error))
            }
            guard let observer else { return reply }
            switch reply {
            case .response(let response):
                if case .errorResponse = response { observer.answered(method: method, isError: true) } else {
                    observer.answered(method: method, isError: false)
                }
                return reply
            case .deferred(let request):
                let operation = request.operation
                return .deferred(MCPDeferredRequest(id: request.id, progressToken: request.progressToken,
                                                    meta: request.meta) { context in
                    await observer.run(method, context: context) { await operation(context) }
                })
            case .none:
                return reply
            }
        }
    }

    /// Starts a deferred request in a task its session owns. Messages related to it (progress, log lines) go to
    /// `emit`; its response goes to `deliver`, unless it was cancelled first, in which case `onCancelled` runs.
    ///
    /// - Parameter executor: Where the task prefers to run: the transport passes the event loop of the connection
    ///   that carried the request, so the work stays on that thread.
    /// - Returns: false if a request with the same id is already running; the caller answers with an error.
    package func start(
        _ request: MCPDeferredRequest,
        session: MCPSession,
        executor: (any TaskExecutor)?,
        emit: @escaping @Sendable (JSONRPCMessage) -> Void,
        deliver: @escaping @Sendable (JSONRPCMessage) -> Void,
        onCancelled: @escaping @Sendable () -> Void = {}
    ) -> Bool {
        let context = MCPRequestContext(session: session, requestID: request.id, progressToken: request.progressToken,
                                        meta: request.meta, emit: emit)
        return session.run(request.id, executor: executor, deliver: deliver, onCancelled: onCancelled) {
            await request.operation(context)
        }
    }

    /// The error for a request whose id is already in flight in the session.
    package static func duplicateRequest(_ id: JSONRPCID) -> JSONRPCMessage {
        .errorResponse(id: id, error: .invalidRequest("request id \(id) is already in flight in this session"))
    }

    // MARK: - Notifications

    private func handleNotification(_ method: String, params: JSONValue?, session: MCPSession) {
        switch method {
        case "notifications/cancelled":
            // Unknown or finished ids are ignored: the race with the response is normal (MCP §Cancellation).
            if let requestID = params?["requestId"].flatMap(JSONRPCID.init) {
                session.cancel(requestID)
            }
        default:
            // `initialized`, progress, roots/list_changed and unknown notifications need no action and are never
            // answered. Requests are served before `initialized` arrives: waiting for it is a SHOULD for clients,
            // not a MUST for servers (mcp.md §2.2).
            break
        }
    }

    // MARK: - Requests

    private func handleRequest(
        id: JSONRPCID, method: String, params: JSONValue?, session: MCPSession
    ) throws(JSONRPCError) -> MCPReply {
        if let params, params.objectValue == nil {
            throw .invalidParams("params must be an object")
        }
        let params = params?.objectValue ?? JSONObject()
        switch method {
        case "initialize":
            return .response(.response(id: id, result: try initialize(params, session: session)))
        case "ping":
            return .response(.response(id: id, result: [:]))
        default:
            break
        }
        // Before initialize only ping is served (MCP §Lifecycle); mcp 2.3.0 answers -32602 here too.
        guard let version = session.protocolVersion else {
            if Self.knownMethods.contains(method) {
                throw .invalidParams("the session is not initialized; send initialize first")
            }
            throw .methodNotFound("unknown method \(method)")
        }
        switch method {
        case "tools/list":
            if let tools = currentTools(for: session) {
                return .response(.response(id: id, result: try page(of: tools, key: "tools", params: params) {
                    $0.definition(for: version)
                }))
            }
            return .deferred(listToolsLater(id: id, params: params, version: version))
        case "tools/call":
            return .deferred(try callTool(id: id, params: params, version: version, session: session))
        case "resources/list":
            return .response(.response(id: id, result: try page(of: registry.resources, key: "resources",
                                                                 params: params) { $0.definition(for: version) }))
        case "resources/templates/list":
            return .response(.response(id: id, result: try page(of: registry.resourceTemplates,
                                                                 key: "resourceTemplates", params: params) {
                $0.definition(for: version)
            }))
        case "resources/read":
            return .deferred(try readResource(id: id, params: params))
        case "resources/subscribe", "resources/unsubscribe":
            guard let uri = params["uri"]?.stringValue else { throw .invalidParams("uri must be a string") }
            if method == "resources/subscribe" { session.subscribe(uri) } else { session.unsubscribe(uri) }
            return .response(.response(id: id, result: [:]))
        case "prompts/list":
            return .response(.response(id: id, result: try page(of: registry.prompts, key: "prompts",
                                                                 params: params) { $0.definition(for: version) }))
        case "prompts/get":
            return .deferred(try getPrompt(id: id, params: params, version: version))
        case "logging/setLevel":
            guard let name = params["level"]?.stringValue, let level = MCPLogLevel(rawValue: name) else {
                throw .invalidParams("level must be one of \(MCPLogLevel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            session.setLogLevel(level)
            return .response(.response(id: id, result: [:]))
        case "completion/complete":
            return .deferred(try complete(id: id, params: params))
        default:
            throw .methodNotFound("unknown method \(method)")
        }
    }

    private static let knownMethods: Set<String> = [
        "tools/list", "tools/call", "resources/list", "resources/templates/list", "resources/read",
        "resources/subscribe", "resources/unsubscribe", "prompts/list", "prompts/get", "logging/setLevel",
        "completion/complete",
    ]

    private func initialize(_ params: JSONObject, session: MCPSession) throws(JSONRPCError) -> JSONValue {
        guard let requested = params["protocolVersion"]?.stringValue else {
            throw .invalidParams("protocolVersion must be a string")
        }
        let version = MCPProtocolVersion.negotiate(requested: requested)
        guard session.initialize(version: version) else {
            throw .invalidRequest("the session is already initialized")
        }
        var serverInfo: JSONObject = ["name": .string(info.name), "version": .string(info.version)]
        if let title = info.title, version >= .v2025_06_18 { serverInfo["title"] = .string(title) }
        var result: JSONObject = [
            "protocolVersion": .string(version.rawValue),
            "capabilities": capabilities,
            "serverInfo": .object(serverInfo),
        ]
        if let instructions = info.instructions { result["instructions"] = .string(instructions) }
        return .object(result)
    }

    /// One page of a list, with an opaque cursor to the next (MCP §Pagination). The cursor is the offset in
    /// base 36 behind a version letter, so a client cannot mistake it for a count; a bad cursor is -32602. A null
    /// cursor is no cursor, as an absent optional field is.
    private func page<Item>(
        of items: [Item], key: String, params: JSONObject, entry: (Item) -> JSONValue
    ) throws(JSONRPCError) -> JSONValue {
        var offset = 0
        if let cursor = params["cursor"], cursor != .null {
            guard let text = cursor.stringValue, text.hasPrefix("p"), let value = Int(text.dropFirst(), radix: 36),
                  value >= 0, value <= items.count
            else { throw .invalidParams("invalid cursor") }
            offset = value
        }
        let end = min(items.count, offset + pageSize)
        var result: JSONObject = [key: .array(items[offset..<end].map(entry))]
        if end < items.count { result["nextCursor"] = .string("p" + String(end, radix: 36)) }
        return .object(result)
    }

    /// `tools/list` for a session whose tools the provider has yet to load.
    private func listToolsLater(id: JSONRPCID, params: JSONObject, version: MCPProtocolVersion) -> MCPDeferredRequest {
        let meta = params["_meta"]?.objectValue
        return MCPDeferredRequest(id: id, progressToken: meta?["progressToken"], meta: meta) { context in
            let tools = await self.loadTools(for: context.session)
            return await Self.respond(id: id, method: "tools/list", logger: self.logger) {
                try self.page(of: tools, key: "tools", params: params) { $0.definition(for: version) }
            }
        }
    }

    /// The tool a `tools/call` message would run for `session`, when that is known now and the arguments are
    /// valid, so the call will reach the tool gate; nil otherwise. For transports that count a call against its
    /// tool's class together with the request, before handing the message over.
    package func toolCallPreflight(_ message: JSONRPCMessage, session: MCPSession) -> MCPTool? {
        guard case .request(_, "tools/call", .object(let params)?) = message,
              let name = params["name"]?.stringValue
        else { return nil }
        let known = toolProvider.map { $0.tool(named: name, for: session) } ?? .some(registry.tool(named: name))
        guard case .some(.some(let tool)) = known else { return nil }
        let arguments: JSONObject
        switch params["arguments"] {
        case nil, .null: arguments = JSONObject()
        case .object(let object): arguments = object
        default: return nil
        }
        return tool.inputValidator.validate(.object(arguments)).isEmpty ? tool : nil
    }

    private func callTool(
        id: JSONRPCID, params: JSONObject, version: MCPProtocolVersion, session: MCPSession
    ) throws(JSONRPCError) -> MCPDeferredRequest {
        guard let name = params["name"]?.stringValue else { throw .invalidParams("name must be a string") }
        // A tool the session cannot see is unknown to it, even if another session has it.
        let knownTool = toolProvider.map { $0.tool(named: name, for: session) } ?? .some(registry.tool(named: name))
        if case .some(nil) = knownTool { throw .invalidParams("unknown tool: \(name)") }
        let arguments: JSONObject
        switch params["arguments"] {
        case nil, .null: arguments = JSONObject()
        case .object(let object): arguments = object
        default: throw .invalidParams("arguments must be an object")
        }
        let meta = params["_meta"]?.objectValue
        let gate = toolGate
        return MCPDeferredRequest(id: id, progressToken: meta?["progressToken"], meta: meta) { context in
            let found: MCPTool?
            if case .some(.some(let tool)) = knownTool {
                found = tool
            } else {
                found = await self.loadTools(for: context.session).first { $0.name == name }
            }
            guard let tool = found else {
                return .errorResponse(id: id, error: .invalidParams("unknown tool: \(name)"))
            }
            let started = ContinuousClock.now
            let (result, outcome) = await Self.run(tool, arguments: arguments, context: context, gate: gate)
            let elapsed = started.duration(to: .now).components
            self.observer?.toolFinished(tool, outcome: outcome,
                                        seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18,
                                        context: context)
            guard let encodings = result.encodings else {
                return .response(id: id, result: Self.encode(result, tool: tool, version: version))
            }
            let key = MCPToolResultEncodings.Key(version: version,
                                                 includesStructuredContent: Self.includesStructuredContent(
                                                     result, tool: tool, version: version))
            return .encodedResponse(id: id, result: encodings.encoded(for: key) {
                Self.encode(result, tool: tool, version: version)
            })
        }
    }

    /// Validates the arguments, asks the gate, runs the tool, and turns every failure into a tool result the model
    /// can act on.
    /// The call's result and outcome: `ok`, `error`, or `invalid` when its arguments did not validate.
    private static func run(_ tool: MCPTool, arguments: JSONObject, context: MCPRequestContext, gate: ToolGate?) async
        -> (MCPToolResult, String)
    {
        let violations = tool.inputValidator.validate(.object(arguments))
        guard violations.isEmpty else {
            let details = violations.map(\.description).joined(separator: "; ")
            return (.error("Invalid arguments for tool \(tool.name): \(details)"), "invalid")
        }
        if let refusal = await gate?(tool, context) { return (refusal, "error") }
        let result: MCPToolResult
        do {
            result = try await tool.handler(arguments, context)
        } catch let error as MCPToolError {
            result = .error(error.message)
        } catch is CancellationError {
            result = .error("The call to \(tool.name) was cancelled.")
        } catch {
            result = .error("The call to \(tool.name) failed: \(error)")
        }
        return (result, result.isError ? "error" : "ok")
    }

    private static func encode(_ result: MCPToolResult, tool: MCPTool, version: MCPProtocolVersion) -> JSONValue {
        var object: JSONObject = ["content": .array(result.content.map { $0.jsonValue(for: version) })]
        if let structured = result.structuredContent, includesStructuredContent(result, tool: tool, version: version) {
            object["structuredContent"] = structured
        }
        object["isError"] = .bool(result.isError)
        return .object(object)
    }

    private static func includesStructuredContent(_ result: MCPToolResult, tool: MCPTool,
                                                  version: MCPProtocolVersion) -> Bool {
        result.structuredContent != nil && tool.outputSchema != nil && version >= .v2025_06_18 && !result.isError
    }

    private func readResource(id: JSONRPCID, params: JSONObject) throws(JSONRPCError) -> MCPDeferredRequest {
        guard let uri = params["uri"]?.stringValue else { throw .invalidParams("uri must be a string") }
        let meta = params["_meta"]?.objectValue
        let logger = self.logger
        if let resource = registry.resources.first(where: { $0.uri == uri }) {
            return MCPDeferredRequest(id: id, progressToken: meta?["progressToken"], meta: meta) { context in
                await Self.respond(id: id, method: "resources/read", logger: logger) {
                    ["contents": .array(try await resource.read(context).map(\.jsonValue))]
                }
            }
        }
        for template in registry.resourceTemplates {
            if let variables = template.match(uri) {
                return MCPDeferredRequest(id: id, progressToken: meta?["progressToken"], meta: meta) { context in
                    await Self.respond(id: id, method: "resources/read", logger: logger) {
                        ["contents": .array(try await template.read(uri, variables, context).map(\.jsonValue))]
                    }
                }
            }
        }
        throw Self.resourceNotFound(uri)
    }

    /// -32002, the code MCP 2024-11-05 to 2025-11-25 use for an unknown resource.
    package static func resourceNotFound(_ uri: String) -> JSONRPCError {
        JSONRPCError(code: -32002, message: "Resource not found", data: ["uri": .string(uri)])
    }

    private func getPrompt(id: JSONRPCID, params: JSONObject, version: MCPProtocolVersion) throws(JSONRPCError)
        -> MCPDeferredRequest
    {
        guard let name = params["name"]?.stringValue else { throw .invalidParams("name must be a string") }
        guard let prompt = registry.prompt(named: name) else { throw .invalidParams("unknown prompt: \(name)") }
        var arguments: [String: String] = [:]
        if let given = params["arguments"] {
            guard let object = given.objectValue else { throw .invalidParams("arguments must be an object") }
            for (key, value) in object {
                guard let text = value.stringValue else { throw .invalidParams("argument \(key) must be a string") }
                arguments[key] = text
            }
        }
        let missing = prompt.arguments.filter { $0.isRequired && arguments[$0.name] == nil }.map(\.name)
        guard missing.isEmpty else {
            throw .invalidParams("missing required argument\(missing.count > 1 ? "s" : ""): \(missing.joined(separator: ", "))")
        }
        let meta = params["_meta"]?.objectValue
        let (given, logger) = (arguments, self.logger)
        return MCPDeferredRequest(id: id, progressToken: meta?["progressToken"], meta: meta) { context in
            await Self.respond(id: id, method: "prompts/get", logger: logger) { () async throws -> JSONValue in
                let rendered = try await prompt.render(given, context)
                var result = JSONObject()
                if let description = rendered.description { result["description"] = .string(description) }
                result["messages"] = .array(rendered.messages.map { message in
                    ["role": .string(message.role.rawValue), "content": message.content.jsonValue(for: version)]
                })
                return .object(result)
            }
        }
    }

    private func complete(id: JSONRPCID, params: JSONObject) throws(JSONRPCError) -> MCPDeferredRequest {
        guard let reference = params["ref"]?.objectValue, let type = reference["type"]?.stringValue else {
            throw .invalidParams("ref must be an object with a type")
        }
        guard let argument = params["argument"]?.objectValue, let name = argument["name"]?.stringValue,
              let value = argument["value"]?.stringValue
        else { throw .invalidParams("argument must be an object with string name and value") }
        var resolved: [String: String] = [:]
        for (key, value) in params["context"]?["arguments"]?.objectValue ?? JSONObject() {
            if let text = value.stringValue { resolved[key] = text }
        }
        let chosen = resolved
        let completer: @Sendable (MCPRequestContext) async throws -> [String]
        switch type {
        case "ref/prompt":
            guard let promptName = reference["name"]?.stringValue, let prompt = registry.prompt(named: promptName) else {
                throw .invalidParams("unknown prompt in ref")
            }
            guard prompt.arguments.contains(where: { $0.name == name }) else {
                throw .invalidParams("prompt \(promptName) has no argument \(name)")
            }
            completer = { context in try await prompt.complete?(name, value, chosen, context) ?? [] }
        case "ref/resource":
            guard let uri = reference["uri"]?.stringValue,
                  let template = registry.resourceTemplates.first(where: { $0.uriTemplate == uri })
            else { throw .invalidParams("unknown resource template in ref") }
            completer = { context in try await template.complete?(name, value, chosen, context) ?? [] }
        default:
            throw .invalidParams("ref type must be ref/prompt or ref/resource")
        }
        let (meta, logger) = (params["_meta"]?.objectValue, self.logger)
        return MCPDeferredRequest(id: id, progressToken: meta?["progressToken"], meta: meta) { context in
            await Self.respond(id: id, method: "completion/complete", logger: logger) { () async throws -> JSONValue in
                let all = try await completer(context)
                // At most 100 values per response (MCP §Completion).
                let values = Array(all.prefix(100))
                return ["completion": ["values": .array(values.map { .string($0) }), "total": .integer(Int64(all.count)),
                                       "hasMore": .bool(all.count > values.count)]]
            }
        }
    }

    /// Runs `body` and wraps its value or failure in a response for `id`. An unexpected error is logged and
    /// answered with a bare -32603: its description may name hosts, keys or upstream bodies, which clients must
    /// not see.
    private static func respond(
        id: JSONRPCID, method: String, logger: Logger, _ body: () async throws -> JSONValue
    ) async -> JSONRPCMessage {
        do {
            return .response(id: id, result: try await body())
        } catch let error as JSONRPCError {
            return .errorResponse(id: id, error: error)
        } catch let error as MCPToolError {
            return .errorResponse(id: id, error: .internalError(error.message))
        } catch {
            logger.info("request failed", metadata: ["mcp.method": "\(method)", "error": "\(error)"])
            return .errorResponse(id: id, error: .internalError())
        }
    }
}
