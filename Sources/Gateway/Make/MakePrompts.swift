internal import MCPProtocol
internal import MakeClient

/// Prompts for the jobs people most often bring to Make, each filled with the data it needs, read for the
/// session: diagnosing a failing scenario from its recent runs, drafting a scenario from a description, and auditing
/// the connections that fail verification.
struct MakePrompts: Sendable {
    let resources: MakeResources

    private var runner: MakeToolRunner { resources.runner }

    /// Failed runs whose error detail `diagnose_scenario` reads, newest first.
    static let diagnosedFailures = 3

    func register(on registry: MCPRegistry) {
        let completeScenario: MCPPrompt.Completer = { argument, prefix, _, context in
            argument == "scenarioId" ? try await self.resources.scenarioIDs(startingWith: prefix, context) : []
        }
        let completeTeam: MCPPrompt.Completer = { argument, prefix, _, context in
            guard argument == "teamId" else { return [] }
            let call = try await self.runner.access.context(for: context.session)
            let teams = try await self.runner.directory.teams(in: self.runner.scope(of: context.session), context: call)
            return teams.map { String($0.id) }.filter { $0.hasPrefix(prefix) }
        }
        registry.add(MCPPrompt(
            name: "diagnose_scenario", title: "Diagnose a failing scenario",
            description: "Reads a scenario's recent runs, the errors of the failed ones and its incomplete "
                + "executions, and asks for the cause and a fix.",
            arguments: [MCPPromptArgument(name: "scenarioId", description: "The scenario's id", isRequired: true)],
            render: { arguments, context in try await self.diagnose(arguments["scenarioId"] ?? "", context) },
            complete: completeScenario))
        registry.add(MCPPrompt(
            name: "draft_scenario", title: "Draft a scenario",
            description: "Asks for a scenario blueprint that does what you describe, using the team's existing "
                + "connections, ready for scenarios_create.",
            arguments: [
                MCPPromptArgument(name: "description", description: "What the scenario should do", isRequired: true),
                MCPPromptArgument(name: "teamId", description: "The team to create it in", isRequired: false),
            ],
            render: { arguments, context in
                try await self.draft(arguments["description"] ?? "", teamID: arguments["teamId"], context)
            },
            complete: completeTeam))
        registry.add(MCPPrompt(
            name: "audit_connections", title: "Audit connections",
            description: "Verifies every connection of the scope's teams (or one team's) and asks what to do about "
                + "those that fail.",
            arguments: [MCPPromptArgument(name: "teamId", description: "Only this team's connections",
                                          isRequired: false)],
            render: { arguments, context in try await self.audit(teamID: arguments["teamId"], context) },
            complete: completeTeam))
    }

    private func diagnose(_ scenarioText: String, _ context: MCPRequestContext) async throws
        -> (description: String?, messages: [MCPPromptMessage])
    {
        guard let id = Int64(scenarioText), id > 0 else { throw JSONRPCError.invalidParams("scenarioId must be a scenario id") }
        let uri = "make://scenarios/\(id)"
        let scenario = try await resources.get(uri, "/scenarios/\(id)", context)
        let logs = try await resources.get(uri, "/scenarios/\(id)/logs", context, query: [("pg[limit]", "20")])
        let runs = logs["scenarioLogs"]?.arrayValue ?? []
        var failures: [JSONValue] = []
        for run in runs where run["status"]?.int64Value == 3 {
            guard failures.count < Self.diagnosedFailures, let execution = run["id"]?.stringValue else { continue }
            let detail = try await resources.get(uri, "/scenarios/\(id)/executions/\(execution)", context)
            failures.append(["executionId": .string(execution), "outcome": detail])
        }
        let incomplete = try await resources.get(uri, "/dlqs", context, query: [("scenarioId", String(id))])
        let name = scenario["scenario"]?["name"]?.stringValue ?? "scenario \(id)"
        let text = """
            The Make scenario "\(name)" (id \(id)) is failing. Find the cause and propose a fix.

            Its settings:
            \(MakeResources.text(scenario["scenario"] ?? scenario))

            Its last \(runs.count) runs (status 1 success, 2 warning, 3 error):
            \(MakeResources.text(.array(runs)))

            The errors of the most recent failed runs:
            \(MakeResources.text(.array(failures)))

            Its incomplete executions:
            \(MakeResources.text(incomplete["dlqs"] ?? .array([])))

            Say which module fails and why, whether the failures share a cause, and what to change. You can read \
            the blueprint with scenarios_get and a run with executions_get-detail; do not run or change the scenario \
            without asking.
            """
        return ("Diagnose scenario \(id)", [MCPPromptMessage(role: .user, content: .text(text))])
    }

    private func draft(_ description: String, teamID: String?, _ context: MCPRequestContext) async throws
        -> (description: String?, messages: [MCPPromptMessage])
    {
        let scope = runner.scope(of: context.session)
        let team = teamID.flatMap { Int64($0) } ?? scope.teamID
        var connections: JSONValue = .array([])
        if let team {
            let answer = try await resources.get("make://connections", "/connections", context,
                                                 query: [("teamId", String(team))])
            connections = .array((answer["connections"]?.arrayValue ?? []).map { connection in
                ["id": connection["id"] ?? .null, "name": connection["name"] ?? .null,
                 "accountName": connection["accountName"] ?? .null]
            })
        }
        let text = """
            Draft a Make scenario that does this: \(description)

            Write its blueprint as JSON: {"name": …, "flow": [modules], "metadata": {"version": 1}}, each module \
            {"id": <1, 2, …>, "module": "<app>:<ModuleName>", "version": 1, "parameters": {…}, "mapper": {…}}, \
            with routers as {"module": "builtin:BasicRouter", "routes": [{"flow": [...]}]}. Choose a schedule, such \
            as {"type": "on-demand"} or {"type": "indefinitely", "interval": 900}.
            \(team.map { "Create it in team \($0) with scenarios_create." } ?? "Find the team with teams_list, then create it with scenarios_create.")
            Connections the modules can use (put a connection's id in the module's parameters):
            \(MakeResources.text(connections))

            Explain each module in a sentence before the JSON, and list anything you could not map.
            """
        return ("Draft a scenario", [MCPPromptMessage(role: .user, content: .text(text))])
    }

    private func audit(teamID: String?, _ context: MCPRequestContext) async throws
        -> (description: String?, messages: [MCPPromptMessage])
    {
        let connections: [JSONValue]
        if let team = teamID.flatMap({ Int64($0) }) {
            let answer = try await resources.get("make://connections", "/connections", context,
                                                 query: [("teamId", String(team))])
            connections = answer["connections"]?.arrayValue ?? []
        } else {
            connections = try await resources.perTeam("/connections", key: "connections", context)
        }
        let call = try await runner.access.context(for: context.session)
        var failing: [JSONValue] = []
        for connection in connections {
            guard let id = connection["id"]?.int64Value else { continue }
            let verdict: String
            do {
                let answer = try await runner.send(
                    MakeRequest(method: "POST", path: "/connections/\(id)/test", isIdempotent: true),
                    scope: runner.scope(of: context.session), context: call)
                if answer["verified"]?.boolValue == true { continue }
                verdict = "verification failed"
            } catch let error as MakeClientError {
                verdict = error.description
            }
            failing.append(["id": .integer(id), "name": connection["name"] ?? .null,
                            "accountName": connection["accountName"] ?? .null, "problem": .string(verdict)])
        }
        let text = """
            \(connections.count) Make connections were verified; \(failing.count) failed:
            \(MakeResources.text(.array(failing)))

            For each failing connection say what probably broke (expired authorization, revoked access, a changed \
            password), what the owner should do (reauthorize it in Make, or replace it with connections_create), \
            and which scenarios may be affected.
            """
        return ("Audit connections", [MCPPromptMessage(role: .user, content: .text(text))])
    }
}
