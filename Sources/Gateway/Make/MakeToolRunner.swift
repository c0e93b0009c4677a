internal import FoundationEssentials
internal import MCPProtocol
internal import MakeClient
internal import Stores

/// How long Make reads are cached, by how fast what they show changes; zero means not cached.
struct MakeCachePolicy: Sendable {
    var standard: Duration
    /// Enums, public templates, roles: data that changes with Make's releases, not with the user's work.
    var reference: Duration
    /// Execution logs, incomplete executions, data-store records: what changes while a user watches.
    var live: Duration

    /// Matched on bytes: `String.contains` with a string argument goes through Unicode-aware search, which measured
    /// at 5 % of a cached tool call.
    func ttl(for path: String) -> Duration {
        let bytes = Array(path.utf8)
        if Self.referencePrefixes.contains(where: { bytes.starts(with: $0) }) { return reference }
        if Self.livePrefixes.contains(where: { bytes.starts(with: $0) })
            || Self.liveParts.contains(where: { Self.contains(bytes, $0) })
        {
            return live
        }
        return standard
    }

    private static func contains(_ bytes: [UInt8], _ part: [UInt8]) -> Bool {
        guard bytes.count >= part.count else { return false }
        return (0...bytes.count - part.count).contains { start in bytes[start..<start + part.count].elementsEqual(part) }
    }

    private static let referencePrefixes = ["/enums/", "/templates/public", "/roles"].map { Array($0.utf8) }
    private static let livePrefixes = ["/dlqs"].map { Array($0.utf8) }
    private static let liveParts = ["/logs", "/executions", "/data"].map { Array($0.utf8) }
}

/// Runs Make calls for tools, resources and prompts: answers reads from the response cache when it can, calls Make
/// (within the organization's outbound budget), and drops the cached reads a write touched.
///
/// Cached reads are filed under the identity, so one user's data never reaches another, and tagged with the
/// collection they show (`/scenarios/42/blueprint` → `scenarios`): a write anywhere in a collection drops all of its
/// cached reads, for every identity. Coarse, but a read never outlives a change to what it shows.
struct MakeToolRunner: Sendable {
    let client: MakeAPIClient
    let cache: any ResponseCache
    let cachePolicy: MakeCachePolicy
    let directory: MakeDirectory
    let access: any MakeAccess
    let serverScope: MakeScope
    let tracer: Tracer
    let renderedReads = RenderedReadMemo()

    /// The scope of `session`.
    func scope(of session: MCPSession) -> MakeScope {
        MakeScope.of(session, serverScope: serverScope)
    }

    /// Runs a catalog tool for `session`.
    func run(_ tool: MakeToolDefinition, arguments: JSONObject, session: MCPSession) async -> MCPToolResult {
        do {
            let context = try await access.context(for: session)
            let scope = scope(of: session)
            let arguments = try await confine(arguments, of: tool, to: scope, context: context)
            return try await rendered(tool, arguments: arguments, scope: scope, context: context)
        } catch let error as MakeClientError {
            return .error(error.description)
        } catch let error as MakeAccessError {
            return .error(error.description)
        } catch let error as MakeRequestBuilder.Failure {
            return .error("Invalid arguments for tool \(tool.name): \(error)")
        } catch let error as MCPToolError {
            return .error(error.message)
        } catch {
            return .error("The call to \(tool.name) failed: \(error)")
        }
    }

    /// The tool's result. A tool answered by one cached read reuses the result rendered from the same bytes before;
    /// the rest (two requests merged, confirmations built from the arguments) is rendered every time.
    private func rendered(
        _ tool: MakeToolDefinition, arguments: JSONObject, scope: MakeScope, context: MakeCallContext
    ) async throws -> MCPToolResult {
        guard tool.special != .scenarioWithBlueprint, tool.result.isDrawnFromAnswer else {
            return result(of: tool, value: try await value(of: tool, arguments: arguments, scope: scope,
                                                           context: context),
                          arguments: arguments)
        }
        let answer = try await answer(to: MakeRequestBuilder.request(for: tool, arguments: arguments), scope: scope,
                                      context: context)
        guard let cacheKey = answer.cacheKey else { return result(of: tool, value: answer.value, arguments: arguments) }
        if let reused = renderedReads.result(for: cacheKey, tool: tool.name, body: answer.body) { return reused }
        var fresh = result(of: tool, value: answer.value, arguments: arguments)
        // Returned again on every hit of the same bytes: serialized once per protocol version, then copied.
        fresh.encodings = MCPToolResultEncodings()
        renderedReads.remember(fresh, for: cacheKey, tool: tool.name, body: answer.body)
        return fresh
    }

    /// What Make answered to a catalog tool's call, before it becomes a tool result; for resources built on tools.
    func value(of tool: MakeToolDefinition, arguments: JSONObject, session: MCPSession) async throws -> JSONValue {
        let context = try await access.context(for: session)
        let scope = scope(of: session)
        return try await value(of: tool, arguments: try await confine(arguments, of: tool, to: scope, context: context),
                               scope: scope, context: context)
    }

    private func value(
        of tool: MakeToolDefinition, arguments: JSONObject, scope: MakeScope, context: MakeCallContext
    ) async throws -> JSONValue {
        if tool.special == .scenarioWithBlueprint {
            return try await scenarioWithBlueprint(tool, arguments: arguments, scope: scope, context: context)
        }
        return try await send(MakeRequestBuilder.request(for: tool, arguments: arguments), scope: scope,
                              context: context)
    }

    /// A session confined to a team or organization: its id fills in when the argument is left out, and another id
    /// is refused rather than sent.
    private func confine(
        _ arguments: JSONObject, of tool: MakeToolDefinition, to scope: MakeScope, context: MakeCallContext
    ) async throws -> JSONObject {
        var arguments = arguments
        for (name, scoped) in [("teamId", scope.teamID), ("organizationId", scope.organizationID)] {
            guard let scoped, tool.arguments.contains(where: { $0.name == name }) else { continue }
            if let given = arguments[name] {
                guard given.int64Value == scoped else {
                    throw MCPToolError("This session is confined to \(name) \(scoped); \(tool.name) cannot reach "
                        + "\(MakeRequestBuilder.scalarText(given) ?? "another one").")
                }
            } else {
                arguments[name] = .integer(scoped)
            }
        }
        // An organization-wide session may use any of the organization's teams, and only those.
        if scope.teamID == nil, scope.organizationID != nil, let team = arguments["teamId"]?.int64Value,
           tool.arguments.contains(where: { $0.name == "teamId" })
        {
            let teams = try await directory.teams(in: scope, context: context)
            guard teams.contains(where: { $0.id == team }) else {
                throw MCPToolError("Team \(team) is not in organization \(scope.organizationID!), the one this "
                    + "session is confined to.")
            }
        }
        return arguments
    }

    /// Sends one request, through the cache for reads; the answer's JSON, or its text when it is not JSON.
    ///
    /// - Parameter fresh: Skips the cache, for reads that must see the present (a run's status while following it).
    func send(_ request: MakeRequest, scope: MakeScope, context: MakeCallContext, fresh: Bool = false) async throws
        -> JSONValue
    {
        try await answer(to: request, scope: scope, context: context, fresh: fresh).value
    }

    /// An answer's body, and the cache key it was read from when the cache answered.
    private struct Answer {
        var body: [UInt8]
        var contentType: String?
        var cacheKey: CacheKey?

        var value: JSONValue { MakeToolRunner.decode(body, contentType: contentType) }
    }

    private func answer(to request: MakeRequest, scope: MakeScope, context: MakeCallContext, fresh: Bool = false)
        async throws -> Answer
    {
        let isRead = request.method == "GET"
        let ttl = isRead && !fresh ? cachePolicy.ttl(for: request.path) : .zero
        let key = CacheKey(identity: context.identity, method: request.method,
                           url: request.path + (request.query.isEmpty ? "" : "?" + request.queryString))
        if ttl > .zero, let cached = try? await cache.value(for: key) {
            return Answer(body: cached, contentType: "application/json", cacheKey: key)
        }
        // Scenario runs do not count against the organization's limit (make-api.md §3.1).
        let isRun = request.method == "POST" && request.path.hasSuffix("/run")
        let organization = isRun ? nil : await directory.budgetOrganization(for: scope, context: context)
        let endpoint = MakeAPIClient.endpointTemplate(request.path)
        let response = try await tracer.span(
            "make \(request.method) \(endpoint)", kind: .client,
            attributes: [("http.request.method", request.method), ("make.endpoint", endpoint)]
        ) { () async throws -> MakeResponse in
            var traced = request
            // The Make call carries the trace: its own span is the parent Make's side would see.
            if let current = TraceContext.current { traced.headers.append(("traceparent", current.traceparent)) }
            return try await client.send(traced, baseURL: context.baseURL, authorization: context.authorization,
                                         organization: organization.map { String($0) })
        }
        if ttl > .zero, response.contentType?.hasPrefix("application/json") == true {
            try? await cache.store(response.body, for: key, ttl: ttl, tags: [Self.cacheTag(of: request.path)])
        } else if !isRead {
            try? await cache.invalidate(tag: Self.cacheTag(of: request.path))
        }
        return Answer(body: response.body, contentType: response.contentType)
    }

    /// The collection a path shows: its first segment (`/scenarios/42/blueprint` → `scenarios`).
    static func cacheTag(of path: String) -> String {
        String(path.split(separator: "/").first ?? "")
    }

    private static func decode(_ body: [UInt8], contentType: String?) -> JSONValue {
        if contentType == nil || contentType?.hasPrefix("application/json") == true,
           let value = try? JSONParser.parse(body)
        {
            return value
        }
        return .string(String(decoding: body, as: UTF8.self))
    }

    private func result(of tool: MakeToolDefinition, value: JSONValue, arguments: JSONObject) -> MCPToolResult {
        switch tool.result {
        case .wholeBody:
            return Self.toolResult(value)
        case .unwrap(let key):
            return Self.toolResult(value[key] ?? value)
        case .confirmation(let template):
            var text = template
            for (name, argument) in arguments {
                if let scalar = MakeRequestBuilder.scalarText(argument) {
                    text = text.replacing("{\(name)}", with: scalar)
                }
            }
            return .text(text)
        }
    }

    /// Objects go out as structured content plus JSON text; anything else as text.
    static func toolResult(_ value: JSONValue) -> MCPToolResult {
        if case .object = value { return .json(value) }
        if case .string(let text) = value { return .text(text) }
        return .text(String(decoding: value.serialized(), as: UTF8.self))
    }

    /// `scenarios_get`: the scenario, then its blueprint, merged so the output can be edited and sent back to
    /// `scenarios_update` (make-catalog.md §2).
    private func scenarioWithBlueprint(
        _ tool: MakeToolDefinition, arguments: JSONObject, scope: MakeScope, context: MakeCallContext
    ) async throws -> JSONValue {
        let scenario = try await send(MakeRequestBuilder.request(for: tool, arguments: arguments), scope: scope,
                                      context: context)
        guard var merged = (scenario["scenario"] ?? scenario).objectValue else { return scenario }
        let id = merged["id"].flatMap(MakeRequestBuilder.scalarText)
            ?? arguments["scenarioId"].flatMap(MakeRequestBuilder.scalarText) ?? ""
        let blueprint = try await send(MakeRequest(method: "GET", path: "/scenarios/\(MakeRequest.encode(id))/blueprint"),
                                       scope: scope, context: context)
        merged["blueprint"] = MakeScenarioBlueprint.readable(blueprint["response"] ?? blueprint)
        return .object(merged)
    }
}
