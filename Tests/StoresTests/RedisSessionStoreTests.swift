import Stores
import TestSupport
import Testing

/// What only the Redis store has to get right: Redis failing under it.
@Suite("Redis session store on a real redis-server", .timeLimit(.minutes(1)))
struct RedisSessionStoreTests {
    @Test("a subscription Redis refuses fails and leaves nothing behind")
    func failedSubscriptionLeavesNoReceiver() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let url = try #require(RedisURL(server.url))
        let store = RedisSessionStore(client: RedisClient(configuration: .init(url: url)), prefix: "t:",
                                      replicaID: "one")
        try await store.putSession("s", record: [], ttl: .seconds(60))
        // Scripts refused, as a Redis that fails every command would: without killing it, whose port another test
        // may take meanwhile.
        let admin = RedisClient(configuration: .init(url: url))
        #expect(try await admin.send("ACL", "SETUSER", "default", "-@scripting") == .simpleString("OK"))
        await #expect(throws: StoreError.self) { try await store.subscribe(session: "s") { _ in } }
        #expect(try await admin.send("ACL", "SETUSER", "default", "+@all") == .simpleString("OK"))
        // Nobody holds the session: a receiver left over from the failed attempt would take this message.
        #expect(try await store.publish(session: "s", message: [1]) == false)
    }
}
