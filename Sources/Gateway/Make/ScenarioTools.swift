internal import FoundationEssentials
internal import MCPProtocol
internal import MakeClient

/// Active on-demand scenarios as tools (make-api.md §6.2): each becomes `run_<name>_<id>` with the scenario's
/// inputs as its arguments, runs through `POST /scenarios/{id}/run` with `responsive: true`, and, when Make's
/// responsive wait passes first, follows the execution (reporting progress) until it ends or
/// `SCENARIO_RUN_TIMEOUT` passes, which returns the execution id to look up instead.
struct ScenarioTools: Sendable {
    let runner: MakeToolRunner
    let runTimeout: Duration
    let pollInterval: Duration

    /// Make's hosted server caps tool names at 56 characters by default (make-api.md §6.1).
    static let maxNameLength = 56

    /// `run_<slug of the name>_<id>`: stable for a scenario, unique by its id, and never a catalog tool's name.
    static func toolName(scenarioName: String, id: Int64) -> String {
        var slug = ""
        for scalar in scenarioName.lowercased().unicodeScalars {
            let isWordCharacter = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
            if isWordCharacter {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("_") {
                slug += "_"
            }
        }
        let suffix = "_\(id)"
        let room = maxNameLength - "run_".count - suffix.count
        var trimmed = String(slug.prefix(max(0, room)))
        while trimmed.hasSuffix("_") { trimmed.removeLast() }
        return "run_" + (trimmed.isEmpty ? "scenario" : trimmed) + suffix
    }

    /// The scenarios of `scope` that can be tools, each with its interface read (or reused when the scenario has
    /// not changed since `previous`).
    func discover(
        scope: MakeScope, context: MakeCallContext, previous: [Int64: Discovered]
    ) async throws -> [Discovered] {
        var lists: [MakeRequest] = []
        if let team = scope.teamID {
            lists.append(Self.listRequest(("teamId", String(team))))
        } else {
            let organizations = try await runner.directory.organizations(for: context)
            for organization in organizations where scope.organizationID == nil || organization.id == scope.organizationID {
                lists.append(Self.listRequest(("organizationId", String(organization.id))))
            }
        }
        var eligible: [JSONValue] = []
        for request in lists {
            let answer = try await runner.send(request, scope: scope, context: context, fresh: true)
            for scenario in answer["scenarios"]?.arrayValue ?? [] {
                guard scenario["isActive"]?.boolValue == true,
                      scenario["scheduling"]?["type"]?.stringValue == "on-demand",
                      let id = scenario["id"]?.int64Value,
                      scope.scenarioIDs.isEmpty || scope.scenarioIDs.contains(id)
                else { continue }
                eligible.append(scenario)
            }
        }
        var discovered: [Discovered] = []
        for scenario in eligible {
            let id = scenario["id"]!.int64Value!
            let lastEdit = scenario["lastEdit"]?.stringValue ?? ""
            if let known = previous[id], known.lastEdit == lastEdit, !lastEdit.isEmpty {
                discovered.append(known)
                continue
            }
            let interface = try await runner.send(
                MakeRequest(method: "GET", path: "/scenarios/\(id)/interface"), scope: scope, context: context,
                fresh: true)
            discovered.append(Discovered(
                id: id, name: scenario["name"]?.stringValue ?? "Scenario \(id)",
                description: scenario["description"]?.stringValue ?? "", lastEdit: lastEdit,
                input: interface["interface"]?["input"]?.arrayValue ?? [],
                output: interface["interface"]?["output"]?.arrayValue ?? []))
        }
        return discovered
    }

    private static func listRequest(_ selector: (String, String)) -> MakeRequest {
        // Make's legacy MCP server reads up to 1000 scenarios in one page; so do we.
        MakeRequest(method: "GET", path: "/scenarios", query: [selector, ("pg[limit]", "1000")])
    }

    /// What a tool is made from: the scenario's name, description and interface.
    struct Discovered: Sendable, Equatable {
        var id: Int64
        var name: String
        var description: String
        var lastEdit: String
        var input: [JSONValue]
        var output: [JSONValue]
    }

    /// The tool for one scenario.
    func tool(for scenario: Discovered, scope: MakeScope) throws -> MCPTool {
        var description = "Runs the Make scenario \"\(scenario.name)\" (id \(scenario.id)) and returns its outputs."
        if !scenario.description.isEmpty { description += " " + scenario.description }
        let outputNames = scenario.output.compactMap { $0["name"]?.stringValue }
        if !outputNames.isEmpty { description += " Outputs: \(outputNames.joined(separator: ", "))." }
        let tools = self
        let id = scenario.id
        return try MCPTool(
            name: Self.toolName(scenarioName: scenario.name, id: scenario.id), title: scenario.name,
            description: description, inputSchema: ScenarioInterfaceSchema.inputSchema(fields: scenario.input),
            outputSchema: Self.outputSchema,
            // A scenario may do anything its modules do; like scenarios_run, nothing is promised.
            annotations: MCPToolAnnotations(title: scenario.name, readOnlyHint: false, destructiveHint: true,
                                            idempotentHint: false, openWorldHint: true)
        ) { arguments, context in
            await tools.run(scenarioID: id, inputs: arguments, scope: scope, context: context)
        }
    }

    private static let outputSchema: JSONValue = [
        "type": "object",
        "properties": [
            "executionId": ["type": "string", "description": "The run's id, for executions_get-detail."],
            "status": ["type": "string", "enum": ["success", "warning"]],
            "outputs": ["type": "object", "description": "The values of the scenario's outputs."],
        ],
        "required": ["executionId", "status", "outputs"],
    ]

    /// Runs the scenario once (never retried: a run is not idempotent) and waits for its outcome.
    func run(scenarioID: Int64, inputs: JSONObject, scope: MakeScope, context: MCPRequestContext) async
        -> MCPToolResult
    {
        do {
            let call = try await runner.access.context(for: context.session)
            let body: JSONValue = ["data": .object(inputs), "responsive": true]
            let started = try await runner.send(
                MakeRequest(method: "POST", path: "/scenarios/\(scenarioID)/run", body: body.serialized(),
                            contentType: "application/json", isIdempotent: false),
                scope: scope, context: call)
            guard let executionID = started["executionId"]?.stringValue else {
                return .error("Make started no run of scenario \(scenarioID): it answered without an executionId.")
            }
            if let status = started["status"], !status.isNull {
                return Self.outcome(executionID: executionID, numericStatus: status.int64Value,
                                    outputs: started["outputs"], error: nil)
            }
            return try await follow(scenarioID: scenarioID, executionID: executionID, scope: scope, call: call,
                                    context: context)
        } catch let error as MakeClientError {
            return .error(error.description)
        } catch let error as MakeAccessError {
            return .error(error.description)
        } catch is CancellationError {
            return .error("The run of scenario \(scenarioID) is no longer followed; it may still be going on in Make.")
        } catch {
            return .error("The run of scenario \(scenarioID) failed: \(error)")
        }
    }

    /// Reads the execution's status every poll interval, reporting progress, until it ends or the timeout passes.
    private func follow(
        scenarioID: Int64, executionID: String, scope: MakeScope, call: MakeCallContext, context: MCPRequestContext
    ) async throws -> MCPToolResult {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + runTimeout
        var polls = 0.0
        while clock.now < deadline {
            try await Task.sleep(for: min(pollInterval, clock.now.duration(to: deadline)))
            let detail = try await runner.send(
                MakeRequest(method: "GET", path: "/scenarios/\(scenarioID)/executions/\(executionID)"), scope: scope,
                context: call, fresh: true)
            switch detail["status"]?.stringValue?.uppercased() {
            case "SUCCESS":
                return Self.outcome(executionID: executionID, numericStatus: 1, outputs: detail["outputs"], error: nil)
            case "WARNING":
                return Self.outcome(executionID: executionID, numericStatus: 2, outputs: detail["outputs"], error: nil)
            case "ERROR":
                return Self.outcome(executionID: executionID, numericStatus: 3, outputs: nil, error: detail["error"])
            default:
                polls += 1
                let seconds = Int(start.duration(to: clock.now) / .seconds(1))
                context.reportProgress(polls, message: "scenario \(scenarioID) still running after \(seconds) s")
            }
        }
        let seconds = Int(runTimeout / .seconds(1))
        return .error("Scenario \(scenarioID) is still running after \(seconds) s; the gateway stopped waiting. "
            + "Look up the outcome later with executions_get-detail (scenarioId \(scenarioID), executionId "
            + "\(executionID)).")
    }

    /// A finished run as a tool result: outputs on success (status 1) or warning (2), Make's error otherwise.
    private static func outcome(executionID: String, numericStatus: Int64?, outputs: JSONValue?, error: JSONValue?)
        -> MCPToolResult
    {
        switch numericStatus {
        case 1, 2:
            let outputs = outputs?.objectValue.map(JSONValue.object) ?? .object(JSONObject())
            return .json(["executionId": .string(executionID), "status": numericStatus == 1 ? "success" : "warning",
                          "outputs": outputs])
        default:
            let message = error?["message"]?.stringValue ?? "the run ended with an error"
            return .error("The scenario run \(executionID) failed: \(message). Details: executions_get-detail.")
        }
    }
}
