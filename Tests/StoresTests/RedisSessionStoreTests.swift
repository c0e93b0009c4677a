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

    @Test("touching a session keeps its live event logs and forgets the ones that are gone")
    func touchForgetsGoneLogs() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let url = try #require(RedisURL(server.url))
        let store = RedisSessionStore(client: RedisClient(configuration: .init(url: url)), prefix: "t:",
                                      replicaID: "one")
        try await store.putSession("s", record: Array("{}".utf8), ttl: .seconds(60))
        for stream in ["s/a", "s/b", "s/c"] {
            _ = try await store.appendEvent(stream: stream, data: [1], limit: 10, ttl: .seconds(60), isDelivered: false)
        }
        let admin = RedisClient(configuration: .init(url: url))
        func logs() async throws -> Set<String> {
            Set(try await admin.send("SMEMBERS", "t:logs:s").array?.compactMap(\.string) ?? [])
        }
        #expect(try await logs().count == 3)
        // One stream's log expired (or was dropped) while the session lived on.
        _ = try await admin.send("DEL", "t:log:s/b")
        #expect(try await store.touchSession("s", ttl: .seconds(60)) == Array("{}".utf8))
        #expect(try await logs() == ["t:log:s/a", "t:log:s/c"])
        #expect(try await admin.send("PTTL", "t:log:s/a").integer.map { $0 > 50_000 } == true)
    }

    @Test("every record write and session delete changes the session generation the rate limiter reads; nothing else does")
    func sessionGeneration() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let client = RedisClient(configuration: .init(url: try #require(RedisURL(server.url))))
        let store = RedisSessionStore(client: client, prefix: "t:", replicaID: "one")
        let limiter = RedisRateLimiter(client: client, prefix: "t:")
        func generation() async throws -> UInt64 {
            let outcome = try await withCheckedThrowingContinuation { continuation in
                limiter.check([RateLimitCheck(key: "k", limit: 1000, window: .seconds(60))]) {
                    continuation.resume(with: $0)
                }
            }
            #expect(outcome.decisions.map(\.isAllowed) == [true])
            return try #require(outcome.sessionGeneration)
        }
        // Nothing written yet.
        #expect(try await generation() == 0)
        try await store.putSession("s", record: [1], ttl: .seconds(60))
        let afterPut = try await generation()
        #expect(afterPut != 0)
        // Reads, touches, logs and deliveries leave it alone.
        _ = try await store.touchSession("s", ttl: .seconds(60))
        _ = try await store.session("s")
        _ = try await store.appendEvent(stream: "s/g", data: [1], limit: 10, ttl: .seconds(60), isDelivered: false)
        _ = try await store.publish(session: "s", message: [2])
        #expect(try await generation() == afterPut)
        try await store.putSession("s", record: [3], ttl: .seconds(60))
        let afterRewrite = try await generation()
        #expect(afterRewrite != afterPut)
        try await store.deleteSession("s")
        let afterDelete = try await generation()
        #expect(afterDelete != afterRewrite)
        // Redis lost everything (a restart without persistence): the generation starts again from Redis's clock,
        // never at a value seen before.
        #expect(try await client.send("FLUSHALL") == .simpleString("OK"))
        #expect(try await generation() == 0)
        try await store.putSession("s", record: [4], ttl: .seconds(60))
        #expect(try await generation() > afterDelete)
        #expect(try await client.send("PTTL", "t:sessions:generation").integer.map { $0 > 0 } == true)
    }
}
