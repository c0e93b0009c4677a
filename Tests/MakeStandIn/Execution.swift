import Foundation

/// One run of a scenario. Its status is worked out from the clock: running until `duration` has passed since it
/// started, then finished for good, so nothing has to wake up to complete it.
struct Execution: Sendable {
    /// 32 lowercase hex digits, as Make's execution ids (make-api.md §4).
    let id: String
    let scenarioID: Int
    let teamID: Int
    let organizationID: Int
    let authorID: Int?
    let startedAt: Date
    let started: ContinuousClock.Instant
    /// How long the run takes; shortened when a test finishes it early.
    var duration: Duration
    let outputs: JSON
    let failure: String?
    /// `manual` for runs through the API, `auto` for scheduled ones.
    let type: String
    /// Set on the runs an incomplete execution's retries made (`GET /dlqs/{id}/logs`).
    var incompleteExecutionID: String?

    enum Status: Sendable {
        case running, success, error

        /// The numeric status of logs and run responses: 1 success, 2 warning, 3 error (make-api.md §5.1).
        var code: Int? {
            switch self {
            case .running: nil
            case .success: 1
            case .error: 3
            }
        }

        /// The status word of `GET /scenarios/{id}/executions/{executionId}`.
        var word: String {
            switch self {
            case .running: "RUNNING"
            case .success: "SUCCESS"
            case .error: "ERROR"
            }
        }
    }

    func status(at now: ContinuousClock.Instant) -> Status {
        if now - started < duration { return .running }
        return failure == nil ? .success : .error
    }

    /// Make's `imtId`: start time in milliseconds, scenario, type and execution id; sorts by time.
    var imtID: String {
        "\(Int(startedAt.timeIntervalSince1970 * 1000))_scenario.\(scenarioID).\(type).\(id)"
    }

    /// A scenario-log item (`scenarioLogs[]`, `scenarioLog`); `status` and `duration` are null while it runs.
    func logJSON(at now: ContinuousClock.Instant) -> JSON {
        let status = status(at: now)
        let milliseconds = Int(duration / .milliseconds(1))
        return [
            "id": .string(id), "imtId": .string(imtID), "status": JSON(status.code),
            "duration": status == .running ? .null : .int(milliseconds),
            "operations": status == .running ? 0 : 3, "centicredits": status == .running ? 0 : 300,
            "transfer": status == .running ? 0 : 1024, "organizationId": .int(organizationID), "teamId": .int(teamID),
            "type": .string(type), "authorId": JSON(authorID), "instant": .bool(type == "manual"),
            "timestamp": .date(startedAt),
        ]
    }

    /// `GET /scenarios/{id}/executions/{executionId}`: the status word, then outputs or the error.
    func detailJSON(at now: ContinuousClock.Instant) -> JSON {
        let status = status(at: now)
        var body: JSON = ["status": .string(status.word)]
        switch status {
        case .running: break
        case .success: body["outputs"] = outputs
        case .error:
            body["error"] = [
                "name": "RuntimeError", "message": .string(failure ?? "The scenario failed."),
                "causeModule": ["name": "http:ActionSendData", "appName": "http"],
            ]
        }
        return body
    }

    /// The body `POST /scenarios/{id}/run` answers once the run has finished: id, numeric status and outputs.
    func finishedRunJSON(at now: ContinuousClock.Instant) -> JSON {
        let status = status(at: now)
        var body: JSON = ["executionId": .string(id), "status": JSON(status.code)]
        if status == .success { body["outputs"] = outputs }
        return body
    }
}
