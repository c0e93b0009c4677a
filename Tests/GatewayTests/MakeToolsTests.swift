import Foundation
import TestSupport
import Testing

/// The Make catalog and scenario tools end to end: MCP client → gateway → libcurl → the Make stand-in.
@Suite("Make tools through the stand-in", .timeLimit(.minutes(2)))
struct MakeToolsTests {
    static let defaultCatalog = [
        "scenarios_list", "scenarios_get", "scenarios_create", "scenarios_update", "scenarios_delete",
        "scenarios_activate", "scenarios_deactivate", "scenarios_run", "scenarios_interface", "scenarios_set-interface",
        "executions_list", "executions_get-detail", "executions_get", "incomplete-executions_list",
        "incomplete-executions_get", "folders_list", "folders_create", "hooks_list", "hooks_get", "hooks_create",
        "hooks_update", "hooks_delete", "data-structures_list", "data-structures_get", "data-structures_create",
        "connections_list", "connections_get", "connections_verify", "data-stores_list", "data-stores_get",
        "data-stores_create", "data-store-records_list", "data-store-records_create", "data-store-records_update",
        "data-store-records_delete", "teams_list", "teams_get", "organizations_list", "organizations_get", "users_me",
    ]

    @Test("by default: gateway_info, the 40 default catalog tools, and every active on-demand scenario as a tool")
    func defaultSelection() async throws {
        let make = try await MakeGatewayFixture.launch()
        defer { make.stop() }
        let client = try await make.session()
        let names = try await client.toolNames()
        let catalog = names.filter { !$0.hasPrefix("run_") && $0 != "gateway_info" }
        #expect(names.first == "gateway_info")
        #expect(Set(catalog) == Set(Self.defaultCatalog))
        #expect(catalog.count == 40)
        // Scenarios 1, 2 and 6 are active and on-demand; 3 is scheduled, 4 inactive, 5 runs on a webhook.
        #expect(Set(names.filter { $0.hasPrefix("run_") })
            == ["run_create_support_ticket_1", "run_generate_monthly_report_2", "run_import_invoices_6"])
    }

    @Test("?tools= picks groups and tools and removes with -; MAKE_TOOLS sets the default; a bad choice is a 400")
    func selection() async throws {
        let make = try await MakeGatewayFixture.launch(environment: ["MAKE_TOOLS": "all", "SCENARIO_TOOLS": "off"])
        defer { make.stop() }
        let all = try await make.session().toolNames()
        #expect(all.count == 182)
        #expect(all.contains("sdk-endpoints_set-section"))

        let hooks = try await make.session("?tools=hooks,users_me,-hooks_delete").toolNames()
        #expect(hooks == ["gateway_info", "hooks_list", "hooks_get", "hooks_create", "hooks_update", "users_me"])

        var refused = try await StreamableClient.connect(port: make.gateway.port)
        refused.path = "/mcp?tools=default,no_such_tool"
        let answer = try await refused.post(
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#)
        #expect(answer.status == 400)
        #expect(answer.bodyText.contains("no_such_tool"))
        #expect(answer.header("Mcp-Session-Id") == nil)
    }

    @Test("?teamId= confines a session: teamId fills in, another team is refused, only that team's scenarios are tools")
    func teamScope() async throws {
        let make = try await MakeGatewayFixture.launch()
        defer { make.stop() }
        let client = try await make.session("?teamId=1")
        let tools = try await client.listTools()
        let list = try #require(tools.first { $0["name"] as? String == "scenarios_list" })
        let required = (list["inputSchema"] as? [String: Any])?["required"] as? [String] ?? []
        #expect(!required.contains("teamId"))
        #expect(!tools.contains { $0["name"] as? String == "run_import_invoices_6" })

        let scenarios = try await client.call("scenarios_list")
        #expect(!scenarios.isError, "\(scenarios.text)")
        let teams = Set((scenarios.json as? [[String: Any]] ?? []).compactMap { $0["teamId"] as? Int })
        #expect(teams == [1])

        let other = try await client.call("scenarios_list", ["teamId": 2])
        #expect(other.isError)
        #expect(other.text.contains("confined to teamId 1"))
        #expect(try await make.count("GET /scenarios") >= 1)

        // The server's own scope is a ceiling: a session may not name another team.
        let confined = try await MakeGatewayFixture.launch(environment: ["MAKE_TEAM_ID": "1"])
        defer { confined.stop() }
        var outside = try await StreamableClient.connect(port: confined.gateway.port)
        outside.path = "/mcp?teamId=2"
        let answer = try await outside.post(
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#)
        #expect(answer.status == 400)
        #expect(answer.bodyText.contains("teamId"))
    }

    /// One call per catalog group, with what its answer must contain.
    static let groupCalls: [(tool: String, arguments: [String: any Sendable], expected: String)] = [
        ("scenarios_get", ["scenarioId": 1], #""interface""#),
        ("executions_list", ["scenarioId": 1], #""imtId""#),
        ("incomplete-executions_list", ["scenarioId": 3], #""scenarioId""#),
        ("folders_list", ["teamId": 1], #""name""#),
        ("functions_get", ["functionId": 1], "formatCurrency"),
        ("hooks_get", ["hookId": 1], #""udid""#),
        ("devices_list", ["teamId": 1], #""id""#),
        ("data-structures_get", ["dataStructureId": 1], #""spec""#),
        ("connections_get", ["connectionId": 1], #""accountName""#),
        ("keys_get", ["keyId": 1], #""typeName""#),
        ("credential-requests_list", ["teamId": 1], "Connect the support Slack"),
        ("data-stores_get", ["dataStoreId": 1], "Customers"),
        ("data-store-records_list", ["dataStoreId": 1, "limit": 5], "cust-00"),
        ("teams_get", ["teamId": 1], "Marketing"),
        ("organizations_get", ["organizationId": 1], "Stand-in Org"),
        ("users_me", [:], "Ada Lovelace"),
        ("on-prem-agent_list", ["organizationId": 1], "Berlin on-prem agent"),
        ("connected-system_list-apps", [:], #""name""#),
        ("enums_countries", [:], #""name""#),
        ("public-templates_get", ["templateUrl": "post-typeform-responses-to-slack"], "Typeform"),
        ("private-spaces_get", ["privateSpaceId": 3], #""id""#),
        ("custom-property-structures_list", ["organizationId": 1], #""id""#),
        ("custom-property-structure-items_list", ["customPropertyStructureId": 1], "priority"),
        ("scenario-custom-properties_get", ["scenarioId": 1], "Ada"),
        ("roles_list", [:], #""name""#),
        ("custom-roles_create", ["name": "Auditor", "category": "team", "organizationId": 1], "Auditor"),
        ("sdk-apps_get", ["name": "stand-in-crm", "version": 1], "Stand-in CRM"),
        ("sdk-connections_list", ["appName": "stand-in-crm"], "apikey"),
        ("sdk-functions_list", ["appName": "stand-in-crm", "appVersion": 1], "formatName"),
        ("sdk-modules_list", ["appName": "stand-in-crm", "appVersion": 1], "listContacts"),
        ("sdk-rpcs_list", ["appName": "stand-in-crm", "appVersion": 1], "listTags"),
        ("sdk-webhooks_list", ["appName": "stand-in-crm"], "New contact"),
        ("sdk-endpoints_list", ["appName": "stand-in-crm", "appVersion": 1], "getContact"),
    ]

    @Test("every catalog group answers through the stand-in")
    func everyGroup() async throws {
        let make = try await MakeGatewayFixture.launch(environment: ["SCENARIO_TOOLS": "off"])
        defer { make.stop() }
        let client = try await make.session("?tools=all")
        var groups = Set<String>()
        for (index, call) in Self.groupCalls.enumerated() {
            let outcome = try await client.call(call.tool, call.arguments, id: 10 + index)
            #expect(!outcome.isError, "\(call.tool): \(outcome.text)")
            #expect(outcome.text.contains(call.expected), "\(call.tool): \(outcome.text.prefix(300))")
            groups.insert(String(call.tool.prefix { $0 != "_" }))
        }
        #expect(groups.count == 33)
    }

    @Test("writes go out as Make expects: a scenario from a blueprint with its interface, records, confirmations")
    func writes() async throws {
        let make = try await MakeGatewayFixture.launch(environment: ["SCENARIO_TOOLS": "off"])
        defer { make.stop() }
        let client = try await make.session("?tools=all")
        let blueprint: [String: Any] = [
            "name": "Echo", "flow": [["id": 1, "module": "util:SetVariables", "version": 1]], "metadata": [:],
            "scheduling": ["type": "on-demand"],
            "interface": ["input": [["name": "text", "type": "text", "required": true]], "output": []],
        ]
        let created = try await client.call(
            "scenarios_create", ["teamId": 1, "blueprint": blueprint, "scheduling": ["type": "indefinitely",
                                                                                   "interval": 900]])
        #expect(!created.isError, "\(created.text)")
        let id = try #require(created.structured?["id"] as? Int ?? (created.json as? [String: Any])?["id"] as? Int)
        // The blueprint's own scheduling wins, and its interface travelled as metadata.
        let read = try await client.call("scenarios_get", ["scenarioId": id])
        let readBack = try #require(read.json as? [String: Any])
        #expect((readBack["scheduling"] as? [String: Any])?["type"] as? String == "on-demand")
        let interface = (readBack["blueprint"] as? [String: Any])?["interface"] as? [String: Any]
        #expect((interface?["input"] as? [[String: Any]])?.first?["name"] as? String == "text")

        let record = try await client.call("data-store-records_create",
                                           ["dataStoreId": 1, "key": "cust-999", "data": ["name": "Zed", "email": "zed@example.com"]])
        #expect(!record.isError, "\(record.text)")
        let deleted = try await client.call("data-store-records_delete", ["dataStoreId": 1, "keys": ["cust-999"]])
        #expect(!deleted.isError, "\(deleted.text)")
        let gone = try await client.call("scenarios_delete", ["scenarioId": id])
        #expect(gone.text == "Scenario \(id) deleted.")
    }

    @Test("Make's errors become tool errors a person can act on; bad arguments never reach Make")
    func errors() async throws {
        let make = try await MakeGatewayFixture.launch(environment: ["SCENARIO_TOOLS": "off"])
        defer { make.stop() }
        let client = try await make.session("?tools=all")
        let missing = try await client.call("scenarios_get", ["scenarioId": 999_999])
        #expect(missing.isError)
        #expect(missing.text.contains("Make API error 404"))
        let before = try await make.standInRequests()["total"] as? Int ?? 0
        let invalid = try await client.call("executions_get", ["scenarioId": 1, "executionId": "not-hex"])
        #expect(invalid.isError)
        #expect(invalid.text.contains("executionId"))
        #expect(try await make.standInRequests()["total"] as? Int == before)
        let token = try await make.standInRequests()
        #expect(!"\(token)".contains(StandInProcess.apiToken))
        #expect(!make.gateway.outputText.contains(StandInProcess.apiToken))
    }

    @Test("idempotent calls are retried on 503 and 429 (Retry-After honoured); a scenario run never is")
    func retries() async throws {
        let make = try await MakeGatewayFixture.launch(environment: ["MAKE_CACHE_TTL": "0"])
        defer { make.stop() }
        let client = try await make.session()
        _ = try await client.toolNames()
        try await make.inject([["pathPrefix": "/api/v2/users/me", "status": 503, "count": 2],
                               ["pathPrefix": "/api/v2/teams/1", "status": 429, "retryAfter": 1, "count": 1]])
        let me = try await client.call("users_me")
        #expect(!me.isError, "\(me.text)")
        #expect(try await make.count("GET /users/me") == 3)
        let team = try await client.call("teams_get", ["teamId": 1])
        #expect(!team.isError, "\(team.text)")
        #expect(try await make.count("GET /teams/{teamId}") == 2)

        try await make.inject([["pathRegex": "^/api/v2/scenarios/1/run$", "status": 503, "count": 1]])
        let run = try await client.call("run_create_support_ticket_1", ["subject": "Printer on fire"])
        #expect(run.isError)
        #expect(run.text.contains("503"))
        #expect(try await make.count("POST /scenarios/{scenarioId}/run") == 1)
    }

    @Test("a zone's circuit opens after repeated failures and refuses calls without reaching Make")
    func circuitBreaker() async throws {
        let make = try await MakeGatewayFixture.launch(environment: [
            "MAKE_RETRIES": "0", "MAKE_CIRCUIT_THRESHOLD": "2", "MAKE_CIRCUIT_OPEN_TIME": "1h", "MAKE_CACHE_TTL": "0",
            "SCENARIO_TOOLS": "off",
        ])
        defer { make.stop() }
        let client = try await make.session()
        try await make.inject([["pathPrefix": "/api/v2/users/me", "status": 502, "count": 100]])
        for id in 0..<2 { #expect(try await client.call("users_me", id: 10 + id).text.contains("502")) }
        let refused = try await client.call("users_me", id: 20)
        #expect(refused.isError)
        #expect(refused.text.contains("paused after repeated failures"))
        #expect(try await make.count("GET /users/me") == 2)
    }

    @Test("the outbound budget keeps the organization under its limit: Make never answers 429, calls over it fail clearly")
    func outboundBudget() async throws {
        let make = try await MakeGatewayFixture.launch(
            standInArguments: ["--rate-limit-per-minute", "5"],
            environment: ["MAKE_RATE_LIMIT_WAIT": "1ms", "MAKE_CACHE_TTL": "0", "SCENARIO_TOOLS": "off"])
        defer { make.stop() }
        let client = try await make.session()
        var answered = 0
        var refusals: [String] = []
        for id in 0..<8 {
            let outcome = try await client.call("users_me", id: 10 + id)
            if outcome.isError { refusals.append(outcome.text) } else { answered += 1 }
        }
        // The organization directory read counts too: 1 + 4 calls make the 5 of the limit.
        #expect(answered == 4)
        #expect(refusals.count == 4)
        #expect(refusals.allSatisfy { $0.contains("rate limit is used up") })
        let counters = try await make.standInRequests()
        #expect((counters["rateLimit"] as? [String: Any])?["refused"] as? Int == 0)
        #expect(counters["total"] as? Int == 5)
    }

    @Test("reads are cached per identity and dropped by a write to the same collection")
    func cache() async throws {
        let make = try await MakeGatewayFixture.launch(environment: ["MAKE_CACHE_TTL": "1h", "SCENARIO_TOOLS": "off"])
        defer { make.stop() }
        let client = try await make.session()
        let first = try await client.call("scenarios_list", ["teamId": 1])
        let second = try await client.call("scenarios_list", ["teamId": 1])
        #expect(first.text == second.text)
        #expect(try await make.count("GET /scenarios") == 1)
        let renamed = try await client.call("scenarios_update", ["scenarioId": 1, "name": "Renamed ticket"])
        #expect(!renamed.isError, "\(renamed.text)")
        let third = try await client.call("scenarios_list", ["teamId": 1])
        #expect(third.text.contains("Renamed ticket"))
        #expect(try await make.count("GET /scenarios") == 2)
        // A hit on the new entry shows the new list, not the result rendered for the old entry's hit.
        let fourth = try await client.call("scenarios_list", ["teamId": 1])
        #expect(fourth.text == third.text)
        #expect(fourth.text != second.text)
        #expect(try await make.count("GET /scenarios") == 2)
    }
}
