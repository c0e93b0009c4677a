import Foundation
import Glibc
import TestSupport
import Testing

@Suite("Redis outages", .serialized, .timeLimit(.minutes(2)))
struct RedisOutageTests {
    private func readiness(_ port: Int) async throws -> TestHTTPResponse {
        let connection = try await RawHTTPConnection.connect(port: port)
        try await connection.send("GET /health/ready HTTP/1.1\r\nHost: t\r\n\r\n")
        return try await connection.readResponse()
    }

    @Test("while Redis is down: ready 503 naming redis, new sessions refused clearly, open streams stay; then back")
    func outageAndRecovery() async throws {
        var redis = try await RedisServer.start()
        let redisPort = redis.port
        let gateway = try await GatewayProcess.launch(environment: ["REDIS_URL": redis.url])
        defer {
            gateway.stop()
            redis.stop()
        }
        #expect(try await eventually { try await readiness(gateway.port).status == 200 })
        let session = try await LegacySession.open(port: gateway.port)
        try await session.initialize()

        redis.stop()
        #expect(try await eventually { try await readiness(gateway.port).status == 503 })
        let notReady = try await readiness(gateway.port)
        #expect(notReady.jsonBody?["failing"] as? [String] == ["redis"])
        // A new session needs the store: a clear 503, not a hang.
        let refused = try await RawHTTPConnection.connect(port: gateway.port)
        try await refused.send("GET /sse HTTP/1.1\r\nHost: t\r\n\r\n")
        let refusal = try await refused.readResponse()
        #expect(refusal.status == 503)
        #expect(refusal.bodyText.contains("session store is unavailable"))
        #expect(refusal.header("Retry-After") != nil)
        // The open stream is held here and still works.
        try await session.post(#"{"jsonrpc":"2.0","id":"during","method":"ping"}"#)
        #expect(try await session.nextMessage() == #"{"jsonrpc":"2.0","id":"during","result":{}}"#)

        redis = try await RedisServer.start(port: redisPort)
        #expect(try await eventually { try await readiness(gateway.port).status == 200 })
        try await session.post(#"{"jsonrpc":"2.0","id":"after","method":"ping"}"#)
        #expect(try await session.nextMessage() == #"{"jsonrpc":"2.0","id":"after","result":{}}"#)
        // New sessions work again.
        let fresh = try await LegacySession.open(port: gateway.port)
        try await fresh.initialize()
    }
}
