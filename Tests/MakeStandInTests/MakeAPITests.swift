import Foundation
import TestSupport
import Testing

/// The Make API surface: listing and paging, writes that later reads see, authentication, scopes, and Make's
/// error bodies.
@Suite("Make API", .timeLimit(.minutes(1)))
struct MakeAPITests {
    @Test("pg[limit], pg[offset] and pg[sortDir] page the scenario list and are echoed as pg")
    func listing_pagesAndEchoesPg() async throws {
        try await withStandIn { standIn in
            let first = try await standIn.request(
                "GET", "/api/v2/scenarios?teamId=1&pg%5Blimit%5D=2&pg%5Boffset%5D=0&pg%5BsortDir%5D=asc")
            #expect(first.status == 200)
            #expect(ids(first.json["scenarios"]) == [1, 2])
            let page = try #require(first.json["pg"] as? [String: Any])
            #expect(page["limit"] as? Int == 2)
            #expect(page["offset"] as? Int == 0)
            #expect(page["sortDir"] as? String == "asc")
            #expect(page["sortBy"] as? String == "proprietal")

            let second = try await standIn.request(
                "GET", "/api/v2/scenarios?teamId=1&pg%5Blimit%5D=2&pg%5Boffset%5D=2&pg%5BsortDir%5D=asc")
            #expect(ids(second.json["scenarios"]) == [3, 4])

            let byName = try await standIn.request(
                "GET",
                "/api/v2/scenarios?organizationId=1&pg%5BsortBy%5D=name&pg%5BsortDir%5D=asc&cols%5B%5D=id&cols%5B%5D=name"
            )
            let rows = try #require(byName.json["scenarios"] as? [[String: Any]])
            #expect(rows.first?["name"] as? String == "Create support ticket")
            #expect(rows.allSatisfy { Set($0.keys) == ["id", "name"] })
        }
    }

    @Test("A scenario created with blueprint and scheduling as JSON strings is visible to later reads")
    func createThenGet_showsTheScenario() async throws {
        try await withStandIn { standIn in
            let blueprint =
                #"{\"name\":\"Nightly export\",\"flow\":[{\"id\":1,\"module\":\"util:SetVariable\",\"version\":1}],\"metadata\":{\"version\":1}}"#
            let body = """
                {"teamId":1,"folderId":2,"blueprint":"\(blueprint)","scheduling":"{\\"type\\":\\"on-demand\\"}",
                 "metadata":{"input_spec":[{"name":"day","type":"date","required":true}],"output_spec":[]}}
                """
            let created = try await standIn.request("POST", "/api/v2/scenarios?cols%5B%5D=*", body: body)
            #expect(created.status == 200)
            let scenario = try #require(created.json["scenario"] as? [String: Any])
            let id = try #require(scenario["id"] as? Int)
            #expect(scenario["name"] as? String == "Nightly export")
            #expect(scenario["isActive"] as? Bool == false)

            let fetched = try await standIn.request("GET", "/api/v2/scenarios/\(id)?cols%5B%5D=*")
            #expect((fetched.json["scenario"] as? [String: Any])?["folderId"] as? Int == 2)

            let stored = try await standIn.request("GET", "/api/v2/scenarios/\(id)/blueprint")
            let response = try #require(stored.json["response"] as? [String: Any])
            #expect((response["scheduling"] as? [String: Any])?["type"] as? String == "on-demand")
            let metadata = try #require(response["metadata"] as? [String: Any])
            #expect(names(metadata["input_spec"]) == ["day"])

            let listed = try await standIn.request("GET", "/api/v2/scenarios?teamId=1&pg%5Blimit%5D=100")
            #expect(ids(listed.json["scenarios"]).contains(id))
        }
    }

    @Test("Blueprints sent as objects instead of JSON strings are refused")
    func createWithObjectBlueprint_isRefused() async throws {
        try await withStandIn { standIn in
            let response = try await standIn.request(
                "POST", "/api/v2/scenarios",
                body: #"{"teamId":1,"blueprint":{"name":"x","flow":[]},"scheduling":"{\"type\":\"on-demand\"}"}"#)
            #expect(response.status == 400)
            #expect(suberrors(response).first?.contains("blueprint") == true)
        }
    }

    @Test("A data-store record written is read back, and a strict store refuses unknown fields")
    func dataStoreRecords_roundTrip() async throws {
        try await withStandIn { standIn in
            let created = try await standIn.request(
                "POST", "/api/v2/data-stores/1/data",
                body: #"{"key":"cust-100","data":{"name":"Lin","email":"lin@example.com","tier":"gold"}}"#)
            #expect(created.status == 200)
            #expect(created.json["key"] as? String == "cust-100")

            let page = try await standIn.request("GET", "/api/v2/data-stores/1/data?pg%5Blimit%5D=100")
            #expect(page.json["count"] as? Int == 31)
            let keys = (page.json["records"] as? [[String: Any]])?.compactMap { $0["key"] as? String } ?? []
            #expect(keys.contains("cust-100"))

            let strict = try await standIn.request(
                "POST", "/api/v2/data-stores/2/data", body: #"{"data":{"number":"INV-1","amount":10,"colour":"red"}}"#)
            #expect(strict.status == 400)
            #expect(suberrors(strict) == ["Unknown parameter 'colour'."])
        }
    }

    @Test(
        "No token or a wrong token is a 401 with a Make error body",
        arguments: [nil, "Token 00000000-0000-4000-8000-000000000000", "Bearer nonsense"])
    func missingOrWrongToken_is401(authorization: String?) async throws {
        try await withStandIn { standIn in
            let response = try await standIn.request("GET", "/api/v2/users/me", authorization: authorization)
            #expect(response.status == 401)
            #expect(response.json["code"] as? String == "SC401")
            #expect(response.json["message"] is String)
            #expect(response.json["detail"] is String)
        }
    }

    @Test("A missing teamId is a 400 whose suberror names the parameter")
    func missingTeamID_isMakeValidationError() async throws {
        try await withStandIn { standIn in
            let hooks = try await standIn.request("GET", "/api/v2/hooks")
            #expect(hooks.status == 400)
            #expect(hooks.json["code"] as? String == "SC400")
            #expect(hooks.json["detail"] as? String == "Validation failed for 1 parameter(s).")
            #expect(suberrors(hooks) == ["Missing value of required parameter 'teamId'."])

            let scenarios = try await standIn.request("GET", "/api/v2/scenarios")
            #expect(scenarios.status == 400)
            #expect(scenarios.json["detail"] as? String == "Missing required parameter teamId or organizationId")
        }
    }

    @Test("A token without the route's scope gets Make's 403")
    func narrowedToken_isForbidden() async throws {
        try await withStandIn(["--api-token-scopes", "scenarios:read"]) { standIn in
            #expect(try await standIn.request("GET", "/api/v2/scenarios?teamId=1").status == 200)
            let run = try await standIn.request("POST", "/api/v2/scenarios/1/run", body: #"{"data":{"subject":"x"}}"#)
            #expect(run.status == 403)
            #expect(run.json["code"] as? String == "SC403")
            #expect(run.json["detail"] as? String == "Access denied.")
            #expect(suberrors(run).first?.contains("scenarios:run") == true)
        }
    }

    @Test("Deleting a data store without confirmed=true is IM004")
    func deleteWithoutConfirmation_isIM004() async throws {
        try await withStandIn { standIn in
            let refused = try await standIn.request("DELETE", "/api/v2/data-stores/2")
            #expect(refused.status == 406)
            #expect(refused.json["code"] as? String == "IM004")
            #expect(try await standIn.request("DELETE", "/api/v2/data-stores/2?confirmed=true").status == 200)
            #expect(try await standIn.request("GET", "/api/v2/data-stores/2").status == 404)
        }
    }

    @Test("SIGTERM stops the stand-in with exit status 0")
    func sigterm_exitsZero() async throws {
        let status = try await withStandIn { standIn in
            let me = try await standIn.request("GET", "/api/v2/users/me")
            #expect(me.status == 200)
        }
        #expect(status == 0)
    }
}

/// The `id`s of a list of objects.
func ids(_ value: Any?) -> [Int] {
    (value as? [[String: Any]])?.compactMap { $0["id"] as? Int } ?? []
}

/// The `name`s of a list of objects.
func names(_ value: Any?) -> [String] {
    (value as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
}

/// The messages of a Make error body's `suberrors`.
func suberrors(_ response: TestHTTPResponse) -> [String] {
    (response.json["suberrors"] as? [[String: Any]])?.compactMap { $0["message"] as? String } ?? []
}
