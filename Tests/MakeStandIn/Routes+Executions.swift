import Foundation
import HTTPServer

/// Scenario logs and execution details, and incomplete executions (DLQs) with their logs
/// (make-catalog.md §6: executions, incomplete-executions; make-api.md §5.2–5.3).
extension Routes {
    static func addExecutions(to table: inout RouteTable) {
        table.add(.get, "/scenarios/{scenarioId}/logs", scope: "scenarios:read") { request in
            let id = try request.pathInt("scenarioId")
            let status = try request.optionalQueryInt("status")
            let now = ContinuousClock.now
            let items = try request.world.read { state -> [JSON] in
                _ = try state.scenario(id)
                return state.executions.filter { $0.scenarioID == id && $0.incompleteExecutionID == nil }
                    .map { $0.logJSON(at: now) }
                    .filter { status == nil || $0["status"]?.intValue == status }
            }
            return try list("scenarioLogs", items, request, defaults: .logs)
        }
        table.add(.get, "/scenarios/{scenarioId}/logs/{executionId}", scope: "scenarios:read") { request in
            let id = try request.pathInt("scenarioId")
            let execution = try request.world.read { try $0.execution(request.path("executionId"), scenarioID: id) }
            return .json(["scenarioLog": execution.logJSON(at: .now)])
        }
        table.add(.get, "/scenarios/{scenarioId}/executions/{executionId}", scope: "scenarios:read") { request in
            let id = try request.pathInt("scenarioId")
            let execution = try request.world.read { try $0.execution(request.path("executionId"), scenarioID: id) }
            return .json(execution.detailJSON(at: .now))
        }
        addIncompleteExecutions(to: &table)
    }

    private static func addIncompleteExecutions(to table: inout RouteTable) {
        table.add(.get, "/dlqs", scope: "dlqs:read") { request in
            let scenarioID = try request.requiredQueryInt("scenarioId")
            let items = try request.world.read { state -> [JSON] in
                _ = try state.scenario(scenarioID)
                return state.items(.incompleteExecution).filter {
                    $0["scenarioId"]?.intValue == scenarioID && $0["deleted"] != true
                }
            }
            return try list("dlqs", items, request, defaults: .byID)
        }
        table.add(.get, "/dlqs/{dlqId}", scope: "dlqs:read") { request in
            let item = try request.world.read { try $0.require(.incompleteExecution, id: request.path("dlqId")) }
            return single("dlq", item, request)
        }
        table.add(.get, "/dlqs/{dlqId}/bundle", scope: "dlqs:read") { request in
            _ = try request.world.read { try $0.require(.incompleteExecution, id: request.path("dlqId")) }
            return .json(["code": "OK", "response": [["contact": ["id": 42, "email": "lin@example.com"]]]])
        }
        table.add(.get, "/dlqs/{dlqId}/logs", scope: "dlqs:read") { request in
            let dlqID = request.path("dlqId")
            let now = ContinuousClock.now
            let items = try request.world.read { state -> [JSON] in
                _ = try state.require(.incompleteExecution, id: dlqID)
                return state.executions.filter { $0.incompleteExecutionID == dlqID }.map { $0.logJSON(at: now) }
            }
            return try list("dlqLogs", items, request, defaults: .logs)
        }
        table.add(.get, "/dlqs/{dlqId}/logs/{executionId}", scope: "dlqs:read") { request in
            let dlqID = request.path("dlqId")
            let executionID = request.path("executionId")
            let execution = try request.world.read { state -> Execution in
                _ = try state.require(.incompleteExecution, id: dlqID)
                guard
                    let execution = state.executions.first(where: {
                        $0.id == executionID && $0.incompleteExecutionID == dlqID
                    })
                else { throw MakeError.notFound("Execution") }
                return execution
            }
            return .json(["dlqLog": execution.logJSON(at: .now)])
        }
        table.add(.post, "/dlqs/{dlqId}/retry", scope: "dlqs:write") { request in
            let dlqID = request.path("dlqId")
            try request.world.write { try retry(dlqID, in: &$0) }
            return .json(["dlq": ["id": .string(dlqID), "retry": true]])
        }
        table.add(.post, "/dlqs/retry", scope: "dlqs:write") { request in
            let scenarioID = try request.requiredQueryInt("scenarioId")
            let ids = try selectedIDs(request, scenarioID: scenarioID)
            try request.world.write { state in for id in ids { try retry(id, in: &state) } }
            return .json(["dlqs": .array(ids.map(JSON.string))])
        }
        // Bulk delete needs `confirmed=true`; Make answers IM004 with HTTP 406 otherwise (make-api.md §5.3).
        table.add(.delete, "/dlqs", scope: "dlqs:write") { request in
            let scenarioID = try request.requiredQueryInt("scenarioId")
            try request.requireConfirmation()
            let ids = try selectedIDs(request, scenarioID: scenarioID)
            try request.world.write { state in for id in ids { try state.remove(.incompleteExecution, id: id) } }
            return .json(["dlqs": .array(ids.map(JSON.string))])
        }
    }

    /// The incomplete executions a bulk call names: `ids[]`, or `all: true` minus `exceptIds[]`.
    private static func selectedIDs(_ request: APIRequest, scenarioID: Int) throws -> [String] {
        let body = try request.body()
        if body["all"] == true {
            let except = Set(body["exceptIds"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            return try request.world.read { state in
                state.items(.incompleteExecution).filter { $0["scenarioId"]?.intValue == scenarioID }
                    .compactMap { $0["id"]?.stringValue }.filter { !except.contains($0) }
            }
        }
        return try body.requiredArray("ids").compactMap(\.stringValue)
    }

    /// A retry resolves the incomplete execution and leaves a successful run in its logs.
    private static func retry(_ id: String, in state: inout WorldState) throws {
        let item = try state.require(.incompleteExecution, id: id)
        try state.merge(
            .incompleteExecution, id: id,
            [
                "resolved": true, "attempts": .int((item["attempts"]?.intValue ?? 0) + 1),
            ])
        var execution = Execution(
            id: RandomID.hex(32), scenarioID: item["scenarioId"]?.intValue ?? 0, teamID: 1,
            organizationID: state.organizationID, authorID: 1, startedAt: Date(), started: .now, duration: .zero,
            outputs: [:], failure: nil, type: "manual")
        execution.incompleteExecutionID = id
        state.executions.append(execution)
    }
}
