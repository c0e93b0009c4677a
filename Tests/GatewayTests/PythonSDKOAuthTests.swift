import Foundation
import TestSupport
import Testing

/// The official MCP Python SDK's OAuth client (`OAuthClientProvider`, mcp 2.3.0) signs in to two gateway replicas
/// behind a real nginx, sharing a real redis-server, with Make played by the stand-in: discovery from the 401,
/// dynamic registration, the consent page, Make's authorize and token endpoints, the gateway's callback, its token
/// endpoint; then it initializes and calls tools. nginx balances round robin without stickiness, so the sign-in's
/// steps and the calls after it are spread over both replicas (mcp.md §6.10 lists what the SDK sends).
@Suite("Official MCP Python SDK OAuth client", .serialized, .timeLimit(.minutes(3)))
struct PythonSDKOAuthTests {
    static let script = GatewayProcess.packageRoot.appendingPathComponent("Tests/interop/python_sdk_oauth.py").path

    @Test(
        "signs in on one replica and calls tools on the other",
        arguments: [
            ("streamable", "/mcp"), ("sse", "/sse"),
        ])
    func signInAcrossReplicas(transport: String, path: String) async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: PythonSDKInteropTests.python),
            "the Python SDK venv is missing; `make test` creates it")
        let fixture = try await OAuthFleet.start()
        defer { fixture.stop() }
        let (status, output) = try await GatewayProcess.runProgram(
            PythonSDKInteropTests.python,
            arguments: ["-W", "ignore", Self.script, fixture.publicURL + path, transport, "6"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("all checks passed"), "\(output)")
        let line = try #require(output.split(separator: "\n").last(where: { $0.hasPrefix("{") }), "\(output)")
        let summary = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])

        // The browser went from the consent form to Make's authorize endpoint, to the gateway's callback, to the
        // client; each hop through nginx.
        #expect(
            summary["hops"] as? [String] == ["302 /authorize", "302 /oauth/v2/authorize", "302 /oauth/callback"],
            "\(summary)")
        let standIn = try await fixture.standIn.recentRequests()
        #expect(standIn.contains { $0.hasPrefix("POST /oauth/v2/token - 200") }, "\(standIn)")
        #expect(standIn.contains { $0.hasPrefix("GET /api/v2/users/me Bearer 200") }, "\(standIn)")

        // Which replica served what: nginx's round robin spreads the sign-in's steps over both, so each replica
        // finished what the other started (the consent transaction, Make's callback, the code) through Redis.
        var served: [[String]] = []
        for replica in fixture.replicas { served.append(try await replica.servedRequests()) }
        let signInSteps = ["POST /register", "GET /authorize", "POST /authorize", "GET /oauth/callback", "POST /token"]
        for step in signInSteps {
            #expect(served.contains { $0.contains(step) }, "\(step) reached no replica: \(served)")
        }
        for requests in served {
            #expect(requests.contains { signInSteps.contains($0) }, "a replica served no sign-in step: \(served)")
        }
        let consentReplica = try #require(served.firstIndex { $0.contains("GET /authorize") })
        let replicas = try #require(summary["replicas"] as? [String: Int], "\(summary)")
        #expect(Set(replicas.keys) == ["r1", "r2"], "\(replicas)")
        #expect(replicas.keys.contains { $0 != "r\(consentReplica + 1)" }, "every call landed on the consent's replica")
        #expect(replicas.values.reduce(0, +) == 6)
    }
}
