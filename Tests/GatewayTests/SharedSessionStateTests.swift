import Cryptography
import Gateway
import HTTPServer
import Logging
import MCPProtocol
import Stores
import TestSupport
import Testing

/// Two gateways in this process on one real redis-server, so a test can change one replica's registry.
@Suite("Session state shared by replicas", .timeLimit(.minutes(1)))
struct SharedSessionStateTests {
    @Test("a resource subscription made on one replica brings its updates from another")
    func subscriptionAcrossReplicas() async throws {
        let redis = try await RedisServer.start()
        defer { redis.stop() }
        var configuration = GatewayConfiguration()
        configuration.port = 0
        configuration.redisURL = Secret(redis.url)
        configuration.rateLimitRequests = 0
        let first = try Gateway(configuration: configuration, logger: Logger(label: "test"))
        let second = try Gateway(configuration: configuration, logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await first.run(handlesSignals: false) }
            group.addTask { try await second.run(handlesSignals: false) }
            defer { group.cancelAll() }
            let (firstPort, secondPort) = (try await first.server.waitUntilListening(),
                                           try await second.server.waitUntilListening())
            #expect(try await eventually { first.readiness.failingChecks.isEmpty && second.readiness.failingChecks.isEmpty })
            var client = try await StreamableClient.connect(port: firstPort)
            try await client.initialize()
            let streamer = try await StreamableClient.connect(port: firstPort, joining: client.sessionID)
            #expect(try await streamer.get().status == 200)
            let other = try await StreamableClient.connect(port: secondPort, joining: client.sessionID)
            #expect(try await other.post(#"{"jsonrpc":"2.0","id":2,"method":"resources/subscribe","params":{"uri":"gateway://tools/extra"}}"#)
                .bodyText == #"{"jsonrpc":"2.0","id":2,"result":{}}"#)
            // The first replica's next request reads the session's record.
            #expect(try await client.post(#"{"jsonrpc":"2.0","id":3,"method":"ping"}"#).status == 200)

            first.registry.add(try MCPTool(name: "extra", description: "added at run time",
                                           inputSchema: ["type": "object"]) { _, _ in .text("extra") })
            let events = ServerSentEventReader(streamer.connection)
            #expect(try await events.nextMessage()?.data == #"{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}"#)
            #expect(try await events.nextMessage()?.data
                == #"{"jsonrpc":"2.0","method":"notifications/resources/updated","params":{"uri":"gateway://tools/extra"}}"#)
        }
    }
}
