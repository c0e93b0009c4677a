import Foundation
import Stores
import TestSupport
import Testing

@Suite("Client rate limits", .timeLimit(.minutes(2)))
struct RateLimitTests {
    private static let ping = #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#

    @Test("over the request limit: 429 with Retry-After and RateLimit-* headers and a JSON-RPC error",
          arguments: ["memory", "redis"])
    func requestLimit(store: String) async throws {
        let redis = store == "redis" ? try await RedisServer.start() : nil
        defer { redis?.stop() }
        var environment = ["RATE_LIMIT_REQUESTS": "3", "RATE_LIMIT_WINDOW": "1h"]
        environment["REDIS_URL"] = redis?.url
        let gateway = try await GatewayProcess.launch(environment: environment)
        defer { gateway.stop() }
        let client = try await StreamableClient.connect(port: gateway.port)
        for _ in 0..<3 { #expect(try await client.post(Self.ping).status == 400) }
        let refused = try await client.post(Self.ping)
        #expect(refused.status == 429)
        let retryAfter = try #require(refused.header("Retry-After").flatMap(Int.init))
        #expect(retryAfter > 1000 && retryAfter <= 1200)
        #expect(refused.header("RateLimit-Limit") == "3")
        #expect(refused.header("RateLimit-Remaining") == "0")
        #expect(refused.header("RateLimit-Reset") != nil)
        #expect(refused.bodyText.contains(#""code":-32000,"message":"rate limit reached: 3 requests per window"#))
        // Health probes do not count.
        try await client.connection.send("GET /health/live HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try await client.connection.readResponse().status == 200)
    }

    @Test("with Redis, requests to a session are counted alongside its lookup: over the limit they get 429, whatever the session")
    func requestLimitOnSessions() async throws {
        let redis = try await RedisServer.start()
        defer { redis.stop() }
        let gateway = try await GatewayProcess.launch(environment: [
            "RATE_LIMIT_REQUESTS": "5", "RATE_LIMIT_WINDOW": "1h", "REDIS_URL": redis.url,
        ])
        defer { gateway.stop() }
        // initialize and notifications/initialized are the first two.
        var client = try await StreamableClient.connect(port: gateway.port)
        try await client.initialize()
        for _ in 0..<3 {
            let answered = try await client.post(Self.ping)
            #expect(answered.status == 200)
            #expect(answered.bodyText == #"{"jsonrpc":"2.0","id":1,"result":{}}"#)
        }
        let refused = try await client.post(Self.ping)
        #expect(refused.status == 429)
        #expect(refused.header("RateLimit-Limit") == "5")
        #expect(refused.bodyText.contains("rate limit reached: 5 requests per window"))
        // The refusal wins over what the lookup found: an unknown session is refused too, not a 404.
        client.sessionID = "0123456789abcdef0123456789abcdef"
        #expect(try await client.post(Self.ping).status == 429)
    }

    @Test("with Redis, a tool call is counted against the request limit and its class in one script; over the class limit it is a tool error",
          arguments: ["sse", "streamable"])
    func toolCallCountedInOneStep(transport: String) async throws {
        let redis = try await RedisServer.start()
        defer { redis.stop() }
        let gateway = try await GatewayProcess.launch(environment: [
            "RATE_LIMIT_REQUESTS": "1000", "RATE_LIMIT_READS": "3", "RATE_LIMIT_WINDOW": "1h", "REDIS_URL": redis.url,
            // No keep-alive sweep, whose TTL refreshes would run scripts of their own while this test counts.
            "SSE_KEEPALIVE_INTERVAL": "10m",
        ])
        defer { gateway.stop() }
        let stats = RedisClient(configuration: .init(url: try #require(RedisURL(redis.url))))
        let call = #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"gateway_info"}}"#
        var answers: [String] = []
        let scripts: Int
        if transport == "sse" {
            let session = try await LegacySession.open(port: gateway.port)
            try await session.initialize()
            let before = try await stats.calls(of: "evalsha")
            for _ in 0..<4 {
                #expect(try await session.post(call).status == 202)
                answers.append(try await session.nextMessage())
            }
            // Counted while the stream is still open: closing it runs the scripts that end the session.
            scripts = try await stats.calls(of: "evalsha") - before
        } else {
            var client = try await StreamableClient.connect(port: gateway.port)
            try await client.initialize()
            let before = try await stats.calls(of: "evalsha")
            for _ in 0..<4 { answers.append(try await client.post(call).bodyText) }
            scripts = try await stats.calls(of: "evalsha") - before
        }
        // One script per call counts both limits. On Streamable HTTP it also reads the session generation, and the
        // copy of the session looked up at the current one (by the `initialized` notification) is not looked up
        // again.
        #expect(scripts == 4, "\(scripts) scripts")
        #expect(answers.prefix(3).allSatisfy { $0.contains(#""isError":false"#) })
        #expect(answers[3].contains("Rate limit reached for reads (3 per"))
        #expect(answers[3].contains(#""isError":true"#))
    }

    @Test("over a tool class's limit a call is a tool error that says when to retry")
    func toolClassLimit() async throws {
        let gateway = try await GatewayProcess.launch(environment: ["RATE_LIMIT_READS": "2", "RATE_LIMIT_WINDOW": "1h"])
        defer { gateway.stop() }
        var client = try await StreamableClient.connect(port: gateway.port)
        try await client.initialize()
        let call = #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"gateway_info"}}"#
        for _ in 0..<2 { #expect(try await client.post(call).bodyText.contains(#""isError":false"#)) }
        let refused = try await client.post(call)
        #expect(refused.status == 200)
        #expect(refused.bodyText.contains(#""isError":true"#))
        #expect(refused.bodyText.contains("Rate limit reached for reads (2 per"))
        #expect(refused.bodyText.contains("retry gateway_info in"))
    }

    @Test("with Redis, replicas share the window and count every request exactly once")
    func fleetWide() async throws {
        let fleet = try await Fleet.start(environment: ["RATE_LIMIT_REQUESTS": "50", "RATE_LIMIT_WINDOW": "1h"])
        defer { fleet.stop() }
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<90 {
                group.addTask {
                    let client = try await StreamableClient.connect(port: fleet.replicas[index % 3].port)
                    return try await client.post(Self.ping).status
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 400 }.count == 50)
        #expect(statuses.filter { $0 == 429 }.count == 40)
    }
}
