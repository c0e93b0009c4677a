import Stores
import TestSupport
import Testing

/// What only the Redis store has to get right: Redis failing under it, and coming back.
@Suite("Redis session store on a real redis-server", .timeLimit(.minutes(1)))
struct RedisSessionStoreTests {
    @Test("a subscription that cannot reach Redis fails and leaves nothing behind")
    func failedSubscriptionLeavesNoReceiver() async throws {
        var server = try await RedisServer.start()
        let port = server.port
        let store = RedisSessionStore(client: RedisClient(configuration: .init(url: try #require(RedisURL(server.url)))),
                                      prefix: "t:", replicaID: "one")
        try await store.putSession("s", record: [], ttl: .seconds(60))
        server.stop()
        await #expect(throws: StoreError.self) { try await store.subscribe(session: "s") { _ in } }
        server = try await RedisServer.start(port: port)
        defer { server.stop() }
        // Nobody holds the session: a receiver left over from the failed attempt would still take this message.
        #expect(try await eventually { (try? await store.publish(session: "s", message: [1])) == false })
    }
}
