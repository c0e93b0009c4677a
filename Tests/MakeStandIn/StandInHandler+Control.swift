import Foundation
import HTTPServer

/// The test-only control surface under `/__standin/`: fault rules, the request log, the rate limit, scenarios and
/// OAuth behaviour. It needs no credentials and is never counted, faulted or rate-limited.
extension StandInHandler {
    func control(_ request: HTTPRequest) -> HTTPResponse {
        do {
            switch (request.method, request.path) {
            case (.get, "/__standin/requests"):
                return .json(requestLog.json.merging(["rateLimit": rateLimiter.json]))
            case (.delete, "/__standin/requests"):
                requestLog.reset()
                rateLimiter.resetCounters()
                return .json(["reset": true])
            case (.get, "/__standin/faults"):
                return faultsJSON
            case (.post, "/__standin/faults"):
                faults.add(try Self.faultRules(from: request.body))
                return faultsJSON
            case (.delete, "/__standin/faults"):
                faults.clear()
                return faultsJSON
            case (.post, "/__standin/scenarios"):
                return try putScenario(request.body)
            case (.post, "/__standin/oauth/fail-refresh"):
                let body = try Self.object(request.body)
                let status = try body.optionalInt("status") ?? 400
                oauth.failNextRefreshes(
                    count: try body.optionalInt("count") ?? 1,
                    error: try body.optionalString("error") ?? "invalid_grant",
                    status: HTTPStatus.known[status] ?? HTTPStatus(code: status, reasonPhrase: "Error"))
                return .json(["ok": true])
            case (.post, "/__standin/oauth/next-user"):
                oauth.signInNext(subject: try Self.object(request.body).requiredString("sub"))
                return .json(["ok": true])
            case (.post, "/__standin/oauth/deny-next"):
                let body = try Self.object(request.body)
                oauth.denyNextAuthorizations(count: try body.optionalInt("count") ?? 1)
                return .json(["ok": true])
            case (.post, "/__standin/rate-limit"):
                let body = try Self.object(request.body)
                rateLimiter.setLimit(perMinute: try body.requiredInt("perMinute"))
                return .json(["rateLimit": rateLimiter.json])
            case (.post, "/__standin/reset"):
                world.reset(longRunDuration: settings.longRunDuration)
                faults.clear()
                requestLog.reset()
                rateLimiter.setLimit(perMinute: settings.rateLimitPerMinute)
                rateLimiter.resetCounters()
                oauth.reset()
                return .json(["reset": true])
            case (.post, _) where request.path.hasPrefix("/__standin/executions/") && request.path.hasSuffix("/finish"):
                return try finishExecution(request.path)
            default:
                return MakeError.unknownEndpoint.response
            }
        } catch let error as MakeError {
            return error.response
        } catch {
            return MakeError.internalError("\(error)").response
        }
    }

    /// `POST /__standin/executions/{executionId}/finish`: a running execution ends now, as it would have later.
    private func finishExecution(_ path: String) throws -> HTTPResponse {
        let id = path.dropFirst("/__standin/executions/".count).dropLast("/finish".count)
        let execution = try world.write { state -> Execution in
            guard let index = state.executions.firstIndex(where: { $0.id == id }) else {
                throw MakeError.notFound("Execution")
            }
            let now = ContinuousClock.now
            let elapsed = now - state.executions[index].started
            if elapsed < state.executions[index].duration { state.executions[index].duration = elapsed }
            return state.executions[index]
        }
        return .json(execution.detailJSON(at: .now))
    }

    private var faultsJSON: HTTPResponse {
        .json(["faults": .array(faults.activeRules.map(\.json))])
    }

    /// A JSON list of rules, one rule, or `{"rules": [...]}`.
    private static func faultRules(from body: [UInt8]) throws -> [FaultInjector.Rule] {
        guard let json = JSON.parse(body) else { throw MakeError.badRequest("The body must be JSON.") }
        let list = json.arrayValue ?? json["rules"]?.arrayValue ?? [json]
        return try list.map(FaultInjector.Rule.init)
    }

    private static func object(_ body: [UInt8]) throws -> JSON {
        if body.isEmpty { return [:] }
        guard let json = JSON.parse(body), json.objectValue != nil else {
            throw MakeError.badRequest("The body must be a JSON object.")
        }
        return json
    }

    /// `POST /__standin/scenarios`: adds a scenario, or replaces the one with the same `id`.
    ///
    /// Body: `{"id"?, "teamId"?: 1, "folderId"?, "name", "description"?, "isActive"?: true,
    /// "scheduling"?: {"type": "on-demand"} (or "isOnDemand"?: true|false),
    /// "interface"?: {"input": [...], "output": [...]}, "runDurationMs"?: 0,
    /// "outputs"?: {...}, "failure"?: "message", "echoInputsAs"?: "key", "blueprint"?: {...},
    /// "customProperties"?: {...}}`.
    private func putScenario(_ bytes: [UInt8]) throws -> HTTPResponse {
        let body = try Self.object(bytes)
        let name = try body.requiredString("name")
        let onDemand = body["isOnDemand"]?.boolValue ?? true
        let scheduling =
            body["scheduling"] ?? (onDemand ? ["type": "on-demand"] : ["type": "indefinitely", "interval": 900])
        guard let type = scheduling["type"]?.stringValue, Scenario.schedulingTypes.contains(type) else {
            throw MakeError.invalidParameter("scheduling", expected: "an object with a known type")
        }
        let interface = body["interface"] ?? [:]
        let input = interface["input"]?.arrayValue
        let output = interface["output"]?.arrayValue
        let problems = FieldValidator.definitionProblems(input ?? []) + FieldValidator.definitionProblems(output ?? [])
        guard problems.isEmpty else { throw MakeError.validation(problems) }
        let duration = try body.optionalInt("runDurationMs") ?? 0
        let run = Scenario.RunBehaviour(
            duration: .milliseconds(max(0, duration)), outputs: body["outputs"] ?? [:],
            failure: try body.optionalString("failure"),
            echoInputsKey: try body.optionalString("echoInputsAs"))
        let teamID = try body.optionalInt("teamId") ?? 1
        let folderID = try body.optionalInt("folderId")
        let description = try body.optionalString("description") ?? ""
        let isActive = body["isActive"]?.boolValue ?? true
        let requestedID = try body.optionalInt("id")
        let blueprint =
            body["blueprint"]
            ?? Scenario.blueprint(
                named: name,
                modules: [
                    "scenario-service:StartSubscenario", "scenario-service:ReturnData",
                ])
        let customProperties = body["customProperties"] ?? [:]
        let json = try world.write { state -> JSON in
            try state.requireTeam(teamID)
            let now = Date()
            let id = requestedID ?? state.nextScenarioID
            let existing = try? state.scenario(id)
            let scenario = Scenario(
                id: id, teamID: teamID, folderID: folderID, hookID: nil, name: name, description: description,
                isActive: isActive, scheduling: scheduling, blueprint: blueprint, input: input, output: output,
                customProperties: customProperties, created: existing?.created ?? now, lastEdit: now, run: run)
            if existing != nil {
                try state.updateScenario(id) { $0 = scenario }
            } else {
                state.scenarios.append(scenario)
            }
            return state.json(for: scenario)
        }
        return .json(["scenario": json])
    }
}
