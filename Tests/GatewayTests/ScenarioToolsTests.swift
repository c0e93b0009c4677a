import Foundation
import TestSupport
import Testing

/// Scenarios as tools: schemas from interfaces, runs that finish at once, runs followed past Make's responsive wait,
/// runs that fail, and tools/list_changed when the set of scenarios changes.
@Suite("Scenarios as tools", .timeLimit(.minutes(2)))
struct ScenarioToolsTests {
    @Test("a scenario's interface becomes the tool's input schema, every input type mapped, required kept")
    func inputSchema() async throws {
        let make = try await MakeGatewayFixture.launch()
        defer { make.stop() }
        let tools = try await make.session().listTools()
        let tool = try #require(tools.first { $0["name"] as? String == "run_create_support_ticket_1" })
        #expect(tool["title"] as? String == "Create support ticket")
        let schema = try #require(tool["inputSchema"] as? [String: Any])
        #expect(schema["required"] as? [String] == ["subject"])
        #expect(schema["additionalProperties"] as? Bool == false)
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        #expect(properties["subject"]?["type"] as? String == "string")
        #expect(properties["subject"]?["description"] as? String == "One line describing the problem.")
        #expect(properties["priority"]?["enum"] as? [String] == ["low", "normal", "high"])
        #expect(properties["priority"]?["default"] as? String == "normal")
        #expect(properties["estimateHours"]?["type"] as? String == "number")
        #expect(properties["urgent"]?["type"] as? String == "boolean")
        let dateFormats = (properties["dueDate"]?["anyOf"] as? [[String: Any]])?.compactMap { $0["format"] as? String }
        #expect(dateFormats == ["date-time", "date"])
        #expect(properties["tags"]?["type"] as? String == "array")
        #expect((properties["tags"]?["items"] as? [String: Any])?["type"] as? String == "string")
        let customer = try #require(properties["customer"])
        #expect(customer["type"] as? String == "object")
        #expect(customer["required"] as? [String] == ["name"])
        let annotations = try #require(tool["annotations"] as? [String: Any])
        #expect(annotations["readOnlyHint"] as? Bool == false)
        #expect(annotations["openWorldHint"] as? Bool == true)
    }

    @Test("a run that finishes within Make's responsive wait returns its outputs; bad inputs never start one")
    func quickRun() async throws {
        let make = try await MakeGatewayFixture.launch()
        defer { make.stop() }
        let client = try await make.session()
        let outcome = try await client.call(
            "run_create_support_ticket_1", ["subject": "Printer on fire", "priority": "high", "tags": ["hw"]])
        #expect(!outcome.isError, "\(outcome.text)")
        let structured = try #require(outcome.structured)
        #expect(structured["status"] as? String == "success")
        let outputs = try #require(structured["outputs"] as? [String: Any])
        #expect(outputs["ticketId"] as? Int == 4711)
        #expect((outputs["received"] as? [String: Any])?["subject"] as? String == "Printer on fire")

        let invalid = try await client.call("run_create_support_ticket_1", ["priority": "urgent"])
        #expect(invalid.isError)
        #expect(invalid.text.contains("subject"))
        #expect(invalid.text.contains("priority"))
        #expect(try await make.count("POST /scenarios/{scenarioId}/run") == 1)

        let failing = try await client.call("run_import_invoices_6", ["since": "2026-01-01"])
        #expect(try await make.count("POST /scenarios/{scenarioId}/run") == 2)
        #expect(failing.isError)
        #expect(failing.text.contains("failed"))
    }

    @Test("a run outlasting Make's responsive wait is followed with progress until it ends, then returns its outputs")
    func followedRun() async throws {
        let make = try await MakeGatewayFixture.launch(
            standInArguments: ["--responsive-limit-ms", "100", "--long-run-ms", "600000"],
            environment: ["SCENARIO_POLL_INTERVAL": "50ms"])
        defer { make.stop() }
        let client = try await make.session()
        _ = try await client.toolNames()
        let head = try await client.postForStream(
            #"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"run_generate_monthly_report_2","arguments":{"month":"2026-11"},"_meta":{"progressToken":"report"}}}"#)
        #expect(head.status == 200)
        #expect(head.header("Content-Type") == "text/event-stream")
        let events = ServerSentEventReader(client.connection)
        var progress: String?
        while progress == nil, let event = try await events.nextMessage() {
            if event.data.contains("notifications/progress") { progress = event.data }
        }
        #expect(try #require(progress).contains("still running"))

        // The run is going on in the stand-in; end it there, as Make would once its modules are done.
        let logs = try await make.standIn.request("GET", "/api/v2/scenarios/2/logs").json
        let running = try #require((logs["scenarioLogs"] as? [[String: Any]])?.first { $0["status"] is NSNull })
        let executionID = try #require(running["id"] as? String)
        #expect(try await make.standIn.request(
            "POST", "/__standin/executions/\(executionID)/finish", authorization: nil).status == 200)
        var result: String?
        while result == nil, let event = try await events.nextMessage() {
            if event.data.contains(#""id":7"#) { result = event.data }
        }
        let answer = try #require(result)
        #expect(answer.contains(#""status":"success""#))
        #expect(answer.contains(executionID))
    }

    @Test("a run still going at SCENARIO_RUN_TIMEOUT returns its execution id to look up later")
    func runTimeout() async throws {
        let make = try await MakeGatewayFixture.launch(
            standInArguments: ["--responsive-limit-ms", "50", "--long-run-ms", "600000"],
            environment: ["SCENARIO_POLL_INTERVAL": "50ms", "SCENARIO_RUN_TIMEOUT": "200ms"])
        defer { make.stop() }
        let client = try await make.session()
        let outcome = try await client.call("run_generate_monthly_report_2", ["month": "2026-11"])
        #expect(outcome.isError)
        #expect(outcome.text.contains("still running"))
        #expect(outcome.text.contains("executions_get-detail"))
        let logs = try await make.standIn.request("GET", "/api/v2/scenarios/2/logs").json
        let running = try #require((logs["scenarioLogs"] as? [[String: Any]])?.first { $0["status"] is NSNull })
        #expect(outcome.text.contains(try #require(running["id"] as? String)))
    }

    @Test("a new on-demand scenario becomes a tool and open sessions hear tools/list_changed")
    func listChanged() async throws {
        let make = try await MakeGatewayFixture.launch(environment: ["SCENARIO_TOOLS_REFRESH": "1ms"])
        defer { make.stop() }
        var client = try await make.session()
        #expect(!(try await client.toolNames()).contains("run_send_invoice_reminder_42"))
        let streamer = try await StreamableClient.connect(port: make.gateway.port, joining: client.sessionID)
        #expect(try await streamer.get(headers: ["MCP-Protocol-Version": "2025-06-18"]).status == 200)
        let added = try await make.standIn.request(
            "POST", "/__standin/scenarios",
            body: #"{"id":42,"name":"Send invoice reminder","interface":{"input":[{"name":"invoice","type":"number","required":true}]}}"#,
            authorization: nil)
        #expect(added.status == 200)
        // The kept list is stale at once (1 ms), so this listing starts the refresh that finds the new scenario.
        _ = try await client.toolNames()
        let events = ServerSentEventReader(streamer.connection)
        var changed = false
        while !changed, let event = try await events.nextMessage() {
            changed = event.data.contains("notifications/tools/list_changed")
        }
        #expect(changed)
        client.path = "/mcp"
        #expect(try await client.toolNames().contains("run_send_invoice_reminder_42"))
    }
}
