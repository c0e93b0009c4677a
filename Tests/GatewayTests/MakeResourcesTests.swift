import Foundation
import TestSupport
import Testing

/// Make data as resources and prompts, with completion, and the cache and outbound budget shared by replicas.
@Suite("Make resources, prompts and shared state", .timeLimit(.minutes(2)))
struct MakeResourcesTests {
    static func contents(_ message: [String: Any]) throws -> Any {
        let result = try #require(message["result"] as? [String: Any], "\(message)")
        let text = try #require((result["contents"] as? [[String: Any]])?.first?["text"] as? String)
        return try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    @Test("resources and templates are listed and read: scenarios, a blueprint, connections, hooks, records, a run")
    func resources() async throws {
        let make = try await MakeGatewayFixture.launch(environment: ["SCENARIO_TOOLS": "off"])
        defer { make.stop() }
        let client = try await make.session()
        let listed = try await client.request("resources/list")
        let uris = ((listed["result"] as? [String: Any])?["resources"] as? [[String: Any]] ?? []).compactMap {
            $0["uri"] as? String
        }
        #expect(Set(["make://scenarios", "make://connections", "make://hooks"]).isSubset(of: Set(uris)))
        let templates = try await client.request("resources/templates/list")
        let patterns = ((templates["result"] as? [String: Any])?["resourceTemplates"] as? [[String: Any]] ?? [])
            .compactMap { $0["uriTemplate"] as? String }
        #expect(Set(["make://scenarios/{scenarioId}", "make://scenarios/{scenarioId}/blueprint",
                     "make://data-stores/{dataStoreId}/records", "make://executions/{scenarioId}/{executionId}"])
            .isSubset(of: Set(patterns)))

        let scenarios = try Self.contents(try await client.request("resources/read", ["uri": "make://scenarios"]))
        #expect(((scenarios as? [String: Any])?["scenarios"] as? [Any])?.count == 6)
        let scenario = try Self.contents(try await client.request("resources/read", ["uri": "make://scenarios/1"]))
        #expect(((scenario as? [String: Any])?["blueprint"] as? [String: Any])?["interface"] != nil)
        let blueprint = try Self.contents(try await client.request("resources/read",
                                                                   ["uri": "make://scenarios/1/blueprint"]))
        #expect((blueprint as? [String: Any])?["flow"] != nil)
        let connections = try Self.contents(try await client.request("resources/read", ["uri": "make://connections"]))
        #expect(((connections as? [String: Any])?["connections"] as? [Any])?.isEmpty == false)
        let hooks = try Self.contents(try await client.request("resources/read", ["uri": "make://hooks"]))
        #expect(((hooks as? [String: Any])?["hooks"] as? [Any])?.count == 2)
        let records = try Self.contents(try await client.request("resources/read",
                                                                 ["uri": "make://data-stores/1/records"]))
        #expect(((records as? [String: Any])?["records"] as? [Any])?.count == 30)

        let logs = try await make.standIn.request("GET", "/api/v2/scenarios/1/logs").json
        let executionID = try #require((logs["scenarioLogs"] as? [[String: Any]])?.first?["id"] as? String)
        let run = try Self.contents(try await client.request(
            "resources/read", ["uri": "make://executions/1/\(executionID)"]))
        #expect(((run as? [String: Any])?["outcome"] as? [String: Any])?["status"] as? String == "SUCCESS")

        let missing = try await client.request("resources/read", ["uri": "make://scenarios/999999"])
        #expect((missing["error"] as? [String: Any])?["code"] as? Int == -32002)
    }

    @Test("completion suggests scenario, data store and execution ids from the user's own data")
    func completion() async throws {
        let make = try await MakeGatewayFixture.launch(environment: ["SCENARIO_TOOLS": "off"])
        defer { make.stop() }
        let client = try await make.session()
        func values(_ params: [String: Any]) async throws -> [String] {
            let answer = try await client.request("completion/complete", params)
            return ((answer["result"] as? [String: Any])?["completion"] as? [String: Any])?["values"] as? [String] ?? []
        }
        let scenarioRef: [String: Any] = ["type": "ref/resource", "uri": "make://scenarios/{scenarioId}"]
        #expect(try await values(["ref": scenarioRef, "argument": ["name": "scenarioId", "value": ""]])
            == ["1", "2", "3", "4", "5", "6"])
        #expect(try await values(["ref": scenarioRef, "argument": ["name": "scenarioId", "value": "report"]]) == ["2"])
        let storeRef: [String: Any] = ["type": "ref/resource", "uri": "make://data-stores/{dataStoreId}/records"]
        #expect(try await values(["ref": storeRef, "argument": ["name": "dataStoreId", "value": ""]]) == ["1", "2"])
        let runRef: [String: Any] = ["type": "ref/resource", "uri": "make://executions/{scenarioId}/{executionId}"]
        let runs = try await values(["ref": runRef, "argument": ["name": "executionId", "value": ""],
                                     "context": ["arguments": ["scenarioId": "1"]]])
        #expect(!runs.isEmpty)
        #expect(runs.allSatisfy { $0.count == 32 })
        let promptRef: [String: Any] = ["type": "ref/prompt", "name": "diagnose_scenario"]
        #expect(try await values(["ref": promptRef, "argument": ["name": "scenarioId", "value": "6"]]) == ["6"])
    }

    @Test("prompts carry the data for the job: a failing scenario's errors, connections that fail verification")
    func prompts() async throws {
        let make = try await MakeGatewayFixture.launch(environment: ["SCENARIO_TOOLS": "off"])
        defer { make.stop() }
        let client = try await make.session()
        let listed = try await client.request("prompts/list")
        let names = ((listed["result"] as? [String: Any])?["prompts"] as? [[String: Any]] ?? []).compactMap {
            $0["name"] as? String
        }
        #expect(Set(["diagnose_scenario", "draft_scenario", "audit_connections"]).isSubset(of: Set(names)))
        func text(_ name: String, _ arguments: [String: String]) async throws -> String {
            let answer = try await client.request("prompts/get", ["name": name, "arguments": arguments])
            let messages = try #require((answer["result"] as? [String: Any])?["messages"] as? [[String: Any]],
                                        "\(answer)")
            return (messages.first?["content"] as? [String: Any])?["text"] as? String ?? ""
        }
        let run = try await client.call("scenarios_run", ["scenarioId": 6, "data": ["since": "2026-01-01"],
                                                          "responsive": true])
        #expect(!run.isError, "\(run.text)")
        let diagnosis = try await text("diagnose_scenario", ["scenarioId": "6"])
        #expect(diagnosis.contains("Import invoices"))
        #expect(diagnosis.contains("RuntimeError"))
        let audit = try await text("audit_connections", [:])
        #expect(audit.contains("failed:"))
        #expect(audit.contains(#""id":3"#))
        let draft = try await text("draft_scenario", ["description": "Copy new Typeform answers to a sheet",
                                                      "teamId": "1"])
        #expect(draft.contains("Copy new Typeform answers to a sheet"))
        #expect(draft.contains("team 1"))
        let missing = try await client.request("prompts/get", ["name": "diagnose_scenario", "arguments": [:]])
        #expect((missing["error"] as? [String: Any])?["code"] as? Int == -32602)
    }

    @Test("with Redis, two replicas share the response cache and one outbound budget for the organization")
    func sharedByReplicas() async throws {
        let redis = try await RedisServer.start()
        defer { redis.stop() }
        let make = try await MakeGatewayFixture.launch(
            standInArguments: ["--rate-limit-per-minute", "6"],
            environment: ["REDIS_URL": redis.url, "REDIS_KEY_PREFIX": "make-\(UUID().uuidString.prefix(8)):",
                          "MAKE_CACHE_TTL": "1h", "MAKE_RATE_LIMIT_WAIT": "1ms", "SCENARIO_TOOLS": "off"],
            count: 2)
        defer { make.stop() }
        let first = try await make.session(on: 0)
        let second = try await make.session(on: 1)
        let listed = try await first.call("scenarios_list", ["teamId": 1])
        #expect(!listed.isError, "\(listed.text)")
        let cached = try await second.call("scenarios_list", ["teamId": 1])
        #expect(cached.text == listed.text)
        #expect(try await make.count("GET /scenarios") == 1)

        // Writes from both replicas draw on one budget of 6 a minute: the two replicas' directory reads and the
        // list above leave 3, whichever replica asks.
        var answered = 0
        for id in 0..<6 {
            let client = id.isMultiple(of: 2) ? first : second
            if !(try await client.call("connections_verify", ["connectionId": 1], id: 10 + id).isError) {
                answered += 1
            }
        }
        #expect(answered == 3)
        let counters = try await make.standInRequests()
        #expect((counters["rateLimit"] as? [String: Any])?["refused"] as? Int == 0)
        #expect(counters["total"] as? Int == 6)
    }
}
