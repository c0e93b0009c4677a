import Foundation
import TestSupport
import Testing

/// `POST /scenarios/{id}/run` and the executions it leaves behind.
@Suite("Scenario runs", .timeLimit(.minutes(1)))
struct ScenarioRunTests {
    @Test("A responsive run of the quick scenario answers its outputs at once")
    func quickScenario_answersOutputs() async throws {
        try await withStandIn { standIn in
            let response = try await standIn.request(
                "POST", "/api/v2/scenarios/1/run",
                body:
                    #"{"data":{"subject":"Printer on fire","priority":"high","tags":["hardware"],"customer":{"name":"Lin"}},"responsive":true}"#
            )
            #expect(response.status == 200)
            let executionID = try #require(response.json["executionId"] as? String)
            #expect(executionID.count == 32)
            #expect(response.json["status"] as? Int == 1)
            let outputs = try #require(response.json["outputs"] as? [String: Any])
            #expect(outputs["ticketId"] as? Int == 4711)
            #expect((outputs["received"] as? [String: Any])?["subject"] as? String == "Printer on fire")

            let detail = try await standIn.request("GET", "/api/v2/scenarios/1/executions/\(executionID)")
            #expect(detail.json["status"] as? String == "SUCCESS")
            let log = try await standIn.request("GET", "/api/v2/scenarios/1/logs/\(executionID)")
            #expect((log.json["scenarioLog"] as? [String: Any])?["status"] as? Int == 1)
        }
    }

    @Test("A missing required input is a 400 whose suberror names the field")
    func missingRequiredInput_namesTheField() async throws {
        try await withStandIn { standIn in
            let response = try await standIn.request(
                "POST", "/api/v2/scenarios/1/run", body: #"{"data":{"priority":"high"},"responsive":true}"#)
            #expect(response.status == 400)
            #expect(response.json["code"] as? String == "SC400")
            #expect(suberrors(response) == ["Missing value of required parameter 'subject'."])
        }
    }

    @Test("Inputs of the wrong type or outside a select's options are refused")
    func wrongInputTypes_areRefused() async throws {
        try await withStandIn { standIn in
            let response = try await standIn.request(
                "POST", "/api/v2/scenarios/1/run",
                body: #"{"data":{"subject":"x","priority":"urgent","urgent":"yes","dueDate":"soon","customer":{}}}"#)
            #expect(response.status == 400)
            #expect(
                Set(suberrors(response)) == [
                    "Invalid value of parameter 'priority'. Expected one of low, normal, high.",
                    "Invalid value of parameter 'urgent'. Expected boolean.",
                    "Invalid value of parameter 'dueDate'. Expected date in ISO 8601 format.",
                    "Missing value of required parameter 'customer.name'.",
                ])
        }
    }

    @Test("An inactive scenario refuses to run")
    func inactiveScenario_refuses() async throws {
        try await withStandIn { standIn in
            let response = try await standIn.request(
                "POST", "/api/v2/scenarios/4/run", body: ##"{"data":{"channel":"#general"}}"##)
            #expect(response.status == 422)
            #expect(response.json["code"] as? String == "IM325")
            #expect(response.json["detail"] as? String == "Scenario is not activated.")
        }
    }

    @Test("The long scenario outlasts the responsive limit: an executionId now, SUCCESS with outputs once finished")
    func longScenario_runsPastTheResponsiveLimit() async throws {
        try await withStandIn(["--responsive-limit-ms", "100", "--long-run-ms", "60000"]) { standIn in
            let response = try await standIn.request(
                "POST", "/api/v2/scenarios/2/run", body: #"{"data":{"month":"2025-01"},"responsive":true}"#)
            #expect(response.status == 200)
            let executionID = try #require(response.json["executionId"] as? String)
            #expect(response.json["outputs"] == nil)

            let running = try await standIn.request("GET", "/api/v2/scenarios/2/executions/\(executionID)")
            #expect(running.json["status"] as? String == "RUNNING")
            let runningLog = try await standIn.request("GET", "/api/v2/scenarios/2/logs/\(executionID)")
            #expect((runningLog.json["scenarioLog"] as? [String: Any])?["status"] is NSNull)

            let finish = try await standIn.request(
                "POST", "/__standin/executions/\(executionID)/finish", body: "{}", authorization: nil)
            #expect(finish.status == 200)

            let detail = try await standIn.request("GET", "/api/v2/scenarios/2/executions/\(executionID)")
            #expect(detail.json["status"] as? String == "SUCCESS")
            #expect((detail.json["outputs"] as? [String: Any])?["rows"] as? Int == 1284)
            let log = try await standIn.request("GET", "/api/v2/scenarios/2/logs/\(executionID)")
            #expect((log.json["scenarioLog"] as? [String: Any])?["status"] as? Int == 1)
            let logs = try await standIn.request("GET", "/api/v2/scenarios/2/logs")
            #expect((logs.json["scenarioLogs"] as? [[String: Any]])?.first?["id"] as? String == executionID)
        }
    }

    @Test("A long run left alone completes by itself")
    func longScenario_completesOnItsOwn() async throws {
        try await withStandIn(["--responsive-limit-ms", "50", "--long-run-ms", "300"]) { standIn in
            let response = try await standIn.request(
                "POST", "/api/v2/scenarios/2/run", body: #"{"data":{"month":"2025-01"},"responsive":true}"#)
            let executionID = try #require(response.json["executionId"] as? String)
            let finished = try await eventually(timeout: .seconds(20)) {
                let detail = try await standIn.request("GET", "/api/v2/scenarios/2/executions/\(executionID)")
                return detail.json["status"] as? String == "SUCCESS"
            }
            #expect(finished)
        }
    }

    @Test("A non-responsive run answers only the executionId")
    func nonResponsiveRun_answersExecutionID() async throws {
        try await withStandIn { standIn in
            let response = try await standIn.request(
                "POST", "/api/v2/scenarios/1/run", body: #"{"data":{"subject":"x"},"responsive":false}"#)
            #expect(response.status == 200)
            #expect(Set(response.json.keys) == ["executionId"])
        }
    }

    @Test("A failing scenario's run ends in status 3 and an ERROR execution")
    func failingScenario_endsInError() async throws {
        try await withStandIn { standIn in
            let response = try await standIn.request(
                "POST", "/api/v2/scenarios/6/run", body: #"{"data":{"since":"2025-01-01"},"responsive":true}"#)
            #expect(response.json["status"] as? Int == 3)
            let executionID = try #require(response.json["executionId"] as? String)
            let detail = try await standIn.request("GET", "/api/v2/scenarios/6/executions/\(executionID)")
            #expect(detail.json["status"] as? String == "ERROR")
            #expect((detail.json["error"] as? [String: Any])?["message"] as? String != nil)
        }
    }
}
