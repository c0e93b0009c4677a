import HTTPServer
import MakeClient
import OutboundHTTP
import Synchronization
import TestSupport
import Testing

/// A scripted Make: answers each request with the next scripted response and records what it saw.
private final class ScriptedMake: HTTPHandler, Sendable {
    struct Seen: Sendable {
        var method: String
        var target: String
        var authorization: String?
    }

    private let script = Mutex<[HTTPResponse]>([])
    private let seen = Mutex<[Seen]>([])

    func enqueue(_ responses: HTTPResponse...) {
        script.withLock { $0 += responses }
    }

    var requests: [Seen] { seen.withLock { $0 } }

    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        seen.withLock {
            $0.append(Seen(method: request.method.rawValue, target: request.head.target,
                           authorization: request.headers["Authorization"]))
        }
        let next = script.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        responder.respond(next ?? .json(.ok, Array(#"{"ok":true}"#.utf8)))
    }

    static func error(_ status: HTTPStatus, _ json: String, retryAfter: String? = nil) -> HTTPResponse {
        var headers = HTTPHeaders()
        if let retryAfter { headers.add(name: "Retry-After", value: retryAfter) }
        return .json(status, Array(json.utf8), headers: headers)
    }
}

/// A limiter that refuses with a fixed wait.
private struct ExhaustedLimiter: MakeOutboundLimiter {
    let wait: Duration
    func reserve(organization: String) async -> Duration? { wait }
}

@Suite("Make API client", .timeLimit(.minutes(1)))
struct MakeAPIClientTests {
    private let token = MakeAuthorization(.apiToken, token: "0d1b7f0e-7c1a-4d4b-9a57-2a0c7e0f6a11")
    private let fast = MakeAPIClientConfiguration(maxRetries: 3, baseRetryDelay: .milliseconds(1),
                                                  maxRetryDelay: .milliseconds(5), circuitFailureThreshold: 3,
                                                  circuitOpenDuration: .milliseconds(300))

    private func client(_ configuration: MakeAPIClientConfiguration, limiter: (any MakeOutboundLimiter)? = nil)
        -> MakeAPIClient
    {
        MakeAPIClient(http: HTTPClient(configuration: .init(allowsPlainHTTP: true)), configuration: configuration,
                      limiter: limiter)
    }

    @Test("credentials, paging query and JSON come through; API tokens as Token, OAuth as Bearer")
    func requestShape() async throws {
        let make = ScriptedMake()
        try await withTestServer(handler: make) { _, port in
            let client = client(fast)
            let request = MakeRequest(method: "GET", path: "/scenarios",
                                      query: [("teamId", "1"), ("pg[limit]", "10"), ("cols[]", "*")])
            let response = try await client.send(request, baseURL: "http://127.0.0.1:\(port)/api/v2",
                                                 authorization: token, organization: nil)
            #expect(response.status == 200)
            _ = try await client.send(request, baseURL: "http://127.0.0.1:\(port)/api/v2",
                                      authorization: MakeAuthorization(.oauth, token: "access"), organization: nil)
            #expect(make.requests.map(\.target) == [
                "/api/v2/scenarios?teamId=1&pg%5Blimit%5D=10&cols%5B%5D=%2A",
                "/api/v2/scenarios?teamId=1&pg%5Blimit%5D=10&cols%5B%5D=%2A",
            ])
            #expect(make.requests.map(\.authorization) == ["Token 0d1b7f0e-7c1a-4d4b-9a57-2a0c7e0f6a11", "Bearer access"])
            #expect(!"\(token)".contains("0d1b7f0e"))
        }
    }

    @Test("Make's error body becomes an error a person can act on; 401 is its own case")
    func errors() async throws {
        let make = ScriptedMake()
        make.enqueue(
            ScriptedMake.error(.badRequest, #"{"detail":"Validation failed","message":"Bad","code":"IM005","suberrors":[{"message":"teamId is required"}]}"#),
            ScriptedMake.error(.unauthorized, #"{"message":"Invalid token"}"#),
            ScriptedMake.error(.notFound, "not json"))
        try await withTestServer(handler: make) { _, port in
            let client = client(fast)
            let base = "http://127.0.0.1:\(port)/api/v2"
            await #expect(throws: MakeClientError.api(status: 400, message: "Validation failed", code: "IM005",
                                                       suberrors: ["teamId is required"])) {
                try await client.send(MakeRequest(method: "GET", path: "/scenarios"), baseURL: base,
                                      authorization: token, organization: nil)
            }
            await #expect(throws: MakeClientError.unauthorized("Invalid token")) {
                try await client.send(MakeRequest(method: "GET", path: "/users/me"), baseURL: base,
                                      authorization: token, organization: nil)
            }
            await #expect(throws: MakeClientError.api(status: 404, message: "HTTP status 404", code: nil, suberrors: [])) {
                try await client.send(MakeRequest(method: "GET", path: "/x"), baseURL: base, authorization: token,
                                      organization: nil)
            }
            #expect(MakeClientError.api(status: 400, message: "Validation failed", code: "IM005",
                                        suberrors: ["teamId is required"]).description
                == "Make API error 400 (IM005): Validation failed\n - teamId is required")
        }
    }

    @Test("idempotent calls are retried on 429, 502, 503 and 504, honouring Retry-After; a run is never retried")
    func retries() async throws {
        let make = ScriptedMake()
        make.enqueue(ScriptedMake.error(.tooManyRequests, "{}", retryAfter: "0"),
                     ScriptedMake.error(.serviceUnavailable, "{}"), ScriptedMake.error(.badGateway, "{}"))
        try await withTestServer(handler: make) { _, port in
            // A high threshold, so the circuit breaker (tested below) stays out of the way.
            var configuration = fast
            configuration.circuitFailureThreshold = 100
            let client = client(configuration)
            let base = "http://127.0.0.1:\(port)/api/v2"
            let response = try await client.send(MakeRequest(method: "GET", path: "/scenarios"), baseURL: base,
                                                 authorization: token, organization: nil)
            #expect(response.status == 200)
            #expect(make.requests.count == 4)
            #expect(client.statistics.retries == 3)

            make.enqueue(ScriptedMake.error(.serviceUnavailable, #"{"message":"busy"}"#))
            await #expect(throws: MakeClientError.api(status: 503, message: "busy", code: nil, suberrors: [])) {
                try await client.send(MakeRequest(method: "POST", path: "/scenarios/1/run", body: Array("{}".utf8),
                                                  contentType: "application/json"),
                                      baseURL: base, authorization: token, organization: nil)
            }
            #expect(make.requests.count == 5)

            make.enqueue(ScriptedMake.error(.serviceUnavailable, "{}"), ScriptedMake.error(.serviceUnavailable, "{}"),
                         ScriptedMake.error(.serviceUnavailable, "{}"), ScriptedMake.error(.serviceUnavailable, "{}"))
            await #expect(throws: MakeClientError.self) {
                try await client.send(MakeRequest(method: "GET", path: "/scenarios"), baseURL: base,
                                      authorization: token, organization: nil)
            }
            #expect(make.requests.count == 9, "the first try and three retries")
        }
    }

    @Test("consecutive failures open the zone's circuit; after the pause one probe closes it again")
    func circuitBreaker() async throws {
        let make = ScriptedMake()
        var configuration = fast
        configuration.maxRetries = 0
        make.enqueue(ScriptedMake.error(.internalServerError, "{}"), ScriptedMake.error(.internalServerError, "{}"),
                     ScriptedMake.error(.internalServerError, "{}"))
        try await withTestServer(handler: make) { (_: HTTPServer, port: Int) async throws in
            let client = client(configuration)
            let base = "http://127.0.0.1:\(port)/api/v2"
            let request = MakeRequest(method: "GET", path: "/scenarios")
            for _ in 0..<3 {
                await #expect(throws: MakeClientError.self) {
                    try await client.send(request, baseURL: base, authorization: token, organization: nil)
                }
            }
            #expect(client.circuitStates["127.0.0.1:\(port)"] == .open)
            let refusal = await #expect(throws: MakeClientError.self) {
                try await client.send(request, baseURL: base, authorization: token, organization: nil)
            }
            if case .circuitOpen? = refusal {} else {
                Issue.record("expected circuitOpen, got \(String(describing: refusal))")
            }
            #expect(make.requests.count == 3, "the open circuit kept the call from Make")
            #expect(try await eventually {
                (try? await client.send(request, baseURL: base, authorization: token, organization: nil)) != nil
            })
            #expect(client.circuitStates["127.0.0.1:\(port)"] == .closed)
        }
    }

    @Test("over the organization's outbound budget a call waits up to the bound, then fails clearly")
    func outboundLimit() async throws {
        let make = ScriptedMake()
        try await withTestServer(handler: make) { _, port in
            var configuration = fast
            configuration.maxRateLimitWait = .milliseconds(100)
            let client = client(configuration, limiter: ExhaustedLimiter(wait: .seconds(30)))
            await #expect(throws: MakeClientError.outboundRateLimited(retryAfter: .seconds(30))) {
                try await client.send(MakeRequest(method: "GET", path: "/scenarios"),
                                      baseURL: "http://127.0.0.1:\(port)/api/v2", authorization: token,
                                      organization: "org-1")
            }
            #expect(make.requests.isEmpty)
        }
    }
}
