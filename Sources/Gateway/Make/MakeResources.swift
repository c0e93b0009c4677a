internal import FoundationEssentials
internal import MCPProtocol
internal import MakeClient

/// Make data as MCP resources, with completion of their template arguments: the scenarios of the session's scope
/// (one with its blueprint, or the blueprint alone), connections, webhooks, a data store's records and one execution.
/// Each read goes through the tool runner, so it is cached and counted like a tool call.
struct MakeResources: Sendable {
    let runner: MakeToolRunner
    /// The most items a list resource or completion reads per team or organization.
    static let listLimit = "200"

    func register(on registry: MCPRegistry) {
        registry.add(MCPResource(
            uri: "make://scenarios", name: "scenarios", title: "Scenarios",
            description: "Every scenario in this session's scope: id, name, team, folder, schedule and whether it "
                + "is active."
        ) { context in
            try await self.contents("make://scenarios", ["scenarios": .array(try await self.scenarios(context))])
        })
        registry.add(MCPResource(
            uri: "make://connections", name: "connections", title: "Connections",
            description: "The app connections of every team in this session's scope."
        ) { context in
            try await self.contents("make://connections",
                                    ["connections": .array(try await self.perTeam("/connections", key: "connections",
                                                                                 context))])
        })
        registry.add(MCPResource(
            uri: "make://hooks", name: "hooks", title: "Webhooks and mailhooks",
            description: "The webhooks and mailhooks of every team in this session's scope, with their URLs."
        ) { context in
            try await self.contents("make://hooks",
                                    ["hooks": .array(try await self.perTeam("/hooks", key: "hooks", context))])
        })
        registry.add(MCPResourceTemplate(
            uriTemplate: "make://scenarios/{scenarioId}", name: "scenario", title: "Scenario",
            description: "One scenario with all its columns and its blueprint (scheduling and interface inside).",
            read: { uri, variables, context in
                let id = try Self.id(variables["scenarioId"], uri: uri)
                let tool = MakeCatalog.tool(named: "scenarios_get")!
                let value = try await self.read(uri) {
                    try await self.runner.value(of: tool, arguments: ["scenarioId": .integer(id)],
                                                session: context.session)
                }
                return [MCPResourceContents(uri: uri, text: Self.text(value))]
            },
            complete: { variable, prefix, _, context in
                variable == "scenarioId" ? try await self.scenarioIDs(startingWith: prefix, context) : []
            }))
        registry.add(MCPResourceTemplate(
            uriTemplate: "make://scenarios/{scenarioId}/blueprint", name: "scenario-blueprint",
            title: "Scenario blueprint",
            description: "A scenario's blueprint alone, with its scheduling and interface folded in, ready to edit and "
                + "pass to scenarios_update.",
            read: { uri, variables, context in
                let id = try Self.id(variables["scenarioId"], uri: uri)
                let answer = try await self.get(uri, "/scenarios/\(id)/blueprint", context)
                return [MCPResourceContents(uri: uri, text: Self.text(MakeScenarioBlueprint.readable(
                    answer["response"] ?? answer)))]
            },
            complete: { variable, prefix, _, context in
                variable == "scenarioId" ? try await self.scenarioIDs(startingWith: prefix, context) : []
            }))
        registry.add(MCPResourceTemplate(
            uriTemplate: "make://data-stores/{dataStoreId}/records", name: "data-store-records",
            title: "Data store records",
            description: "The records of one data store (up to 200), each with its key and data.",
            read: { uri, variables, context in
                let id = try Self.id(variables["dataStoreId"], uri: uri)
                let answer = try await self.get(uri, "/data-stores/\(id)/data", context,
                                                query: [("pg[limit]", Self.listLimit)])
                return [MCPResourceContents(uri: uri, text: Self.text(["records": answer["records"] ?? .array([])]))]
            },
            complete: { variable, prefix, _, context in
                guard variable == "dataStoreId" else { return [] }
                let stores = try await self.perTeam("/data-stores", key: "dataStores", context)
                return Self.ids(of: stores, startingWith: prefix)
            }))
        registry.add(MCPResourceTemplate(
            uriTemplate: "make://executions/{scenarioId}/{executionId}", name: "execution", title: "Execution",
            description: "One run of a scenario: its log entry (status, duration, operations) and its outcome "
                + "(outputs, or the error and the module that raised it).",
            read: { uri, variables, context in
                let scenario = try Self.id(variables["scenarioId"], uri: uri)
                let execution = variables["executionId"] ?? ""
                guard execution.utf8.count == 32, execution.utf8.allSatisfy(Self.isLowercaseHex) else {
                    throw MCPServer.resourceNotFound(uri)
                }
                let log = try await self.get(uri, "/scenarios/\(scenario)/logs/\(execution)", context)
                let detail = try await self.get(uri, "/scenarios/\(scenario)/executions/\(execution)", context)
                return [MCPResourceContents(uri: uri, text: Self.text(["log": log["scenarioLog"] ?? log,
                                                                       "outcome": detail]))]
            },
            complete: { variable, prefix, chosen, context in
                switch variable {
                case "scenarioId": return try await self.scenarioIDs(startingWith: prefix, context)
                case "executionId":
                    guard let scenario = chosen["scenarioId"].flatMap({ Int64($0) }) else { return [] }
                    let logs = try await self.get("make://executions", "/scenarios/\(scenario)/logs", context)
                    return (logs["scenarioLogs"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
                        .filter { $0.hasPrefix(prefix) }
                default: return []
                }
            }))
    }

    // MARK: - Reading

    /// The scenarios of the session's scope: its team's, or those of the organizations it covers.
    func scenarios(_ context: MCPRequestContext) async throws -> [JSONValue] {
        let scope = runner.scope(of: context.session)
        var selectors: [(String, String)] = []
        if let team = scope.teamID {
            selectors = [("teamId", String(team))]
        } else {
            let call = try await runner.access.context(for: context.session)
            selectors = try await runner.directory.organizations(for: call)
                .filter { scope.organizationID == nil || $0.id == scope.organizationID }
                .map { ("organizationId", String($0.id)) }
        }
        var all: [JSONValue] = []
        for selector in selectors {
            let answer = try await get("make://scenarios", "/scenarios", context,
                                       query: [selector, ("pg[limit]", Self.listLimit)])
            all += answer["scenarios"]?.arrayValue ?? []
        }
        return all
    }

    /// One list endpoint that needs `teamId`, read for every team of the session's scope and joined.
    func perTeam(_ path: String, key: String, _ context: MCPRequestContext) async throws -> [JSONValue] {
        let call = try await runner.access.context(for: context.session)
        let teams = try await runner.directory.teams(in: runner.scope(of: context.session), context: call)
        var all: [JSONValue] = []
        for team in teams {
            let answer = try await get("make://\(key)", path, context,
                                       query: [("teamId", String(team.id)), ("pg[limit]", Self.listLimit)])
            all += answer[key]?.arrayValue ?? []
        }
        return all
    }

    /// A GET through the runner for the session; Make's 404 becomes the resource's not-found error.
    func get(
        _ uri: String, _ path: String, _ context: MCPRequestContext, query: [(name: String, value: String)] = []
    ) async throws -> JSONValue {
        try await read(uri) {
            let call = try await self.runner.access.context(for: context.session)
            return try await self.runner.send(MakeRequest(method: "GET", path: path, query: query),
                                              scope: self.runner.scope(of: context.session), context: call)
        }
    }

    private func read(_ uri: String, _ body: () async throws -> JSONValue) async throws -> JSONValue {
        do {
            return try await body()
        } catch MakeClientError.api(status: 404, _, _, _) {
            throw MCPServer.resourceNotFound(uri)
        } catch let error as MakeClientError {
            throw MCPToolError(error.description)
        } catch let error as MakeAccessError {
            throw MCPToolError(error.description)
        }
    }

    func scenarioIDs(startingWith prefix: String, _ context: MCPRequestContext) async throws -> [String] {
        Self.ids(of: try await scenarios(context), startingWith: prefix)
    }

    /// Ids (as text) of the items whose id starts with `prefix` or whose name contains it, in id order.
    static func ids(of items: [JSONValue], startingWith prefix: String) -> [String] {
        let lowered = prefix.lowercased()
        return items.compactMap { item -> (Int64, String)? in
            guard let id = item["id"]?.int64Value else { return nil }
            let text = String(id)
            let name = item["name"]?.stringValue?.lowercased() ?? ""
            return text.hasPrefix(prefix) || (!lowered.isEmpty && name.contains(lowered)) ? (id, text) : nil
        }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    private func contents(_ uri: String, _ value: JSONValue) async throws -> [MCPResourceContents] {
        [MCPResourceContents(uri: uri, text: Self.text(value))]
    }

    private static func id(_ text: String?, uri: String) throws -> Int64 {
        guard let text, let id = Int64(text), id > 0 else { throw MCPServer.resourceNotFound(uri) }
        return id
    }

    private static func isLowercaseHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    static func text(_ value: JSONValue) -> String {
        String(decoding: value.serialized(), as: UTF8.self)
    }
}
