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

    @Test("after Redis restarts empty, the replicas write back what they hold: posts elsewhere and Streamable HTTP work")
    func restartLosesNothingHeld() async throws {
        let fleet = try await Fleet.start(replicaCount: 2)
        defer { fleet.stop() }
        let legacy = try await LegacySession.open(port: fleet.replicas[0].port)
        try await legacy.initialize()
        var streamable = try await StreamableClient.connect(port: fleet.replicas[0].port)
        try await streamable.initialize()
        let sessionID = try #require(streamable.sessionID)
        let streamer = try await StreamableClient.connect(port: fleet.replicas[0].port, joining: sessionID)
        #expect(try await streamer.get().status == 200)

        // Persistence is off: the restarted server has no keys at all.
        fleet.redis.stop()
        let restarted = try await RedisServer.start(port: fleet.redis.port)
        defer { restarted.stop() }

        // A post for the stream's session, on the replica that does not hold it, once that replica is back.
        #expect(try await eventually(timeout: .seconds(20)) {
            let poster = try await RawHTTPConnection.connect(port: fleet.replicas[1].port)
            let json = #"{"jsonrpc":"2.0","id":"after","method":"ping"}"#
            try await poster.send("POST \(legacy.endpoint) HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(json.utf8.count)\r\n\r\n\(json)")
            return try await poster.readResponse().status == 202
        })
        #expect(try await legacy.nextMessage() == #"{"jsonrpc":"2.0","id":"after","result":{}}"#)
        for replica in fleet.replicas {
            #expect(try await eventually(timeout: .seconds(20)) {
                let client = try await StreamableClient.connect(port: replica.port, joining: sessionID)
                return try await client.post(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"gateway_info"}}"#)
                    .bodyText.contains(#""isError":false"#)
            })
        }
        // The GET stream's holder key is back too: a log line of a call on the other replica reaches it.
        let caller = try await StreamableClient.connect(port: fleet.replicas[1].port, joining: sessionID)
        _ = try await caller.post(MultiReplicaTests.wait(id: 3, steps: 1))
        #expect(try await ServerSentEventReader(streamer.connection).nextMessage()?.data.contains("step 1 of 1") == true)
    }
}
