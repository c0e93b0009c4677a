import Foundation
import TestSupport
import Testing

/// The test controls under `/__standin/`: injected faults, the organization rate limit, request counters and
/// scenarios added at run time.
@Suite("Stand-in controls", .timeLimit(.minutes(1)))
struct ControlTests {
    @Test("Injected 429s answer with Retry-After only when the rule gives one, and are counted")
    func injected429_withAndWithoutRetryAfter() async throws {
        try await withStandIn { standIn in
            let rules = """
                [{"pathPrefix":"/api/v2/scenarios","method":"GET","status":429,"retryAfter":3,"count":1},
                 {"pathRegex":"^/api/v2/scenarios$","status":429,"count":1}]
                """
            let added = try await standIn.request("POST", "/__standin/faults", body: rules, authorization: nil)
            #expect((added.json["faults"] as? [Any])?.count == 2)

            let first = try await standIn.request("GET", "/api/v2/scenarios?teamId=1")
            #expect(first.status == 429)
            #expect(first.header("Retry-After") == "3")
            #expect(
                first.json["detail"] as? String == "Requests limit for organization exceeded, please try again later.")

            let second = try await standIn.request("GET", "/api/v2/scenarios?teamId=1")
            #expect(second.status == 429)
            #expect(second.header("Retry-After") == nil)

            #expect(try await standIn.request("GET", "/api/v2/scenarios?teamId=1").status == 200)

            let counters = try await standIn.request("GET", "/__standin/requests", authorization: nil).json
            #expect(counters["faultsInjected"] as? Int == 2)
            #expect(counters["total"] as? Int == 3)
            #expect((counters["byRoute"] as? [String: Int])?["GET /scenarios"] == 3)
            #expect((counters["byStatus"] as? [String: Int])?["429"] == 2)
            let recent = try #require(counters["recent"] as? [[String: Any]])
            #expect(recent.allSatisfy { $0["authScheme"] as? String == "Token" })
            #expect(
                !String(decoding: try JSONSerialization.data(withJSONObject: counters), as: UTF8.self)
                    .contains(StandInProcess.apiToken))
        }
    }

    @Test("Server errors and delays can be injected, and DELETE clears the rules")
    func injected5xxAndDelay_thenCleared() async throws {
        try await withStandIn { standIn in
            _ = try await standIn.request(
                "POST", "/__standin/faults", body: #"{"pathPrefix":"/api/v2/teams","status":503,"count":5}"#,
                authorization: nil)
            #expect(try await standIn.request("GET", "/api/v2/teams?organizationId=1").status == 503)
            _ = try await standIn.request("DELETE", "/__standin/faults", authorization: nil)
            #expect(try await standIn.request("GET", "/api/v2/teams?organizationId=1").status == 200)

            _ = try await standIn.request(
                "POST", "/__standin/faults", body: #"{"pathPrefix":"/api/v2/users/me","delayMs":200}"#,
                authorization: nil)
            let started = ContinuousClock.now
            #expect(try await standIn.request("GET", "/api/v2/users/me").status == 200)
            #expect(ContinuousClock.now - started >= .milliseconds(200))
        }
    }

    @Test("The organization limit refuses with 429 once exceeded, exempts runs, and counts refusals")
    func rateLimit_refusesAndCounts() async throws {
        try await withStandIn(["--rate-limit-per-minute", "3"]) { standIn in
            let organization = try await standIn.request("GET", "/api/v2/organizations/1")
            let license = (organization.json["organization"] as? [String: Any])?["license"] as? [String: Any]
            #expect(license?["apiLimit"] as? Int == 3)
            for _ in 0..<2 { #expect(try await standIn.request("GET", "/api/v2/users/me").status == 200) }
            let refused = try await standIn.request("GET", "/api/v2/users/me")
            #expect(refused.status == 429)
            #expect(refused.header("Retry-After") == nil)
            #expect(refused.json["code"] as? String == "SC429")

            let run = try await standIn.request("POST", "/api/v2/scenarios/1/run", body: #"{"data":{"subject":"x"}}"#)
            #expect(run.status == 200)

            let counters = try await standIn.request("GET", "/__standin/requests", authorization: nil).json
            #expect(counters["rateLimited"] as? Int == 1)
            #expect((counters["rateLimit"] as? [String: Any])?["refused"] as? Int == 1)
        }
    }

    @Test("With --rate-limit-retry-after the limit's 429 says when the window resets")
    func rateLimit_withRetryAfter() async throws {
        try await withStandIn(["--rate-limit-per-minute", "1", "--rate-limit-retry-after"]) { standIn in
            #expect(try await standIn.request("GET", "/api/v2/users/me").status == 200)
            let refused = try await standIn.request("GET", "/api/v2/users/me")
            #expect(refused.status == 429)
            let seconds = try #require(refused.header("Retry-After").flatMap(Int.init))
            #expect((1...60).contains(seconds))
        }
    }

    @Test("A scenario added through the control endpoint is listed and runs with its outputs")
    func controlScenario_isListedAndRuns() async throws {
        try await withStandIn { standIn in
            let definition = """
                {"id":50,"teamId":1,"name":"Translate text","description":"Translates a text.","isActive":true,
                 "scheduling":{"type":"on-demand"},
                 "interface":{"input":[{"name":"text","type":"text","required":true}],
                              "output":[{"name":"translation","type":"text"}]},
                 "runDurationMs":0,"outputs":{"translation":"Bonjour"}}
                """
            let added = try await standIn.request("POST", "/__standin/scenarios", body: definition, authorization: nil)
            #expect(added.status == 200)

            let listed = try await standIn.request("GET", "/api/v2/scenarios?teamId=1&pg%5Blimit%5D=100")
            #expect(ids(listed.json["scenarios"]).contains(50))
            let interface = try await standIn.request("GET", "/api/v2/scenarios/50/interface")
            #expect(names((interface.json["interface"] as? [String: Any])?["input"]) == ["text"])

            let run = try await standIn.request(
                "POST", "/api/v2/scenarios/50/run", body: #"{"data":{"text":"Hello"},"responsive":true}"#)
            #expect((run.json["outputs"] as? [String: Any])?["translation"] as? String == "Bonjour")
        }
    }
}
