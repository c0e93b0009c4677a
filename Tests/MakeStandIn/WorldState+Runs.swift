import Foundation
import HTTPServer

extension WorldState {
    /// Starts a run of a scenario and returns its execution, or refuses the way Make does:
    /// - an inactive scenario: HTTP 422, `IM325`, "Scenario is not activated" (as observed from the live API by
    ///   a third party; make-api.md §3.2 lists the message without a code);
    /// - inputs that do not fit the interface: HTTP 400 `SC400`, one suberror per field, naming it.
    mutating func startRun(scenarioID: Int, data: JSON, type: String) throws -> Execution {
        let scenario = try scenario(scenarioID)
        guard scenario.isActive else {
            throw MakeError(
                status: .init(code: 422, reasonPhrase: "Unprocessable Content"),
                message: "Scenario is not activated", detail: "Scenario is not activated.",
                code: "IM325")
        }
        let problems = FieldValidator.problems(in: data, fields: scenario.input ?? [])
        guard problems.isEmpty else { throw MakeError.validation(problems) }
        var outputs = scenario.run.outputs
        if let key = scenario.run.echoInputsKey { outputs[key] = data }
        let execution = Execution(
            id: RandomID.hex(32), scenarioID: scenario.id, teamID: scenario.teamID, organizationID: organizationID,
            authorID: type == "manual" ? 1 : nil, startedAt: Date(), started: .now, duration: scenario.run.duration,
            outputs: outputs, failure: scenario.run.failure, type: type)
        executions.append(execution)
        return execution
    }
}
