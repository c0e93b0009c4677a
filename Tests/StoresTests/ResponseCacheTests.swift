import Stores
import TestSupport
import Testing

/// Two cache instances sharing state, as two replicas do.
func withCaches(_ kind: StoreKind, _ body: (any ResponseCache, any ResponseCache) async throws -> Void) async throws {
    switch kind {
    case .memory:
        let cache = InMemoryResponseCache()
        try await body(cache, cache)
    case .redis:
        let server = try await RedisServer.start()
        defer { server.stop() }
        let url = try #require(RedisURL(server.url))
        try await body(RedisResponseCache(client: RedisClient(configuration: .init(url: url)), prefix: "t:"),
                       RedisResponseCache(client: RedisClient(configuration: .init(url: url)), prefix: "t:"))
    }
}

@Suite("Response cache", .timeLimit(.minutes(1)))
struct ResponseCacheTests {
    private let alice = CacheKey(identity: "user:alice", method: "GET", url: "/api/v2/scenarios?teamId=1")
    private let bob = CacheKey(identity: "user:bob", method: "GET", url: "/api/v2/scenarios?teamId=1")

    @Test("a stored response is a hit on every replica for the same identity and a miss for another",
          arguments: StoreKind.allCases)
    func isolation(kind: StoreKind) async throws {
        try await withCaches(kind) { cache, other in
            #expect(try await cache.value(for: alice) == nil)
            try await cache.store([1, 2, 3], for: alice, ttl: .seconds(60), tags: ["scenarios"])
            #expect(try await other.value(for: alice) == [1, 2, 3])
            #expect(try await other.value(for: bob) == nil)
            // For memory both names are one cache; count each distinct instance once.
            let distinct = cache.statistics === other.statistics ? [cache] : [cache, other]
            #expect(distinct.map(\.statistics.misses).reduce(0, +) == 2)
            #expect(distinct.map(\.statistics.hits).reduce(0, +) == 1)
        }
    }

    @Test("a write's tag invalidates the cached reads of every identity that show it", arguments: StoreKind.allCases)
    func invalidation(kind: StoreKind) async throws {
        try await withCaches(kind) { cache, other in
            let detail = CacheKey(identity: "user:alice", method: "GET", url: "/api/v2/scenarios/42")
            try await cache.store([1], for: alice, ttl: .seconds(60), tags: ["scenarios", "scenario:42"])
            try await cache.store([2], for: bob, ttl: .seconds(60), tags: ["scenarios", "scenario:42"])
            try await cache.store([3], for: detail, ttl: .seconds(60), tags: ["scenario:43"])
            try await other.invalidate(tag: "scenario:42")
            #expect(try await cache.value(for: alice) == nil)
            #expect(try await cache.value(for: bob) == nil)
            #expect(try await cache.value(for: detail) == [3])
        }
    }

    @Test("Redis: a tag keeps only its live entries, at most maxKeysPerTag, and expires with the last of them")
    func redisTagsAreBounded() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let client = RedisClient(configuration: .init(url: try #require(RedisURL(server.url))))
        let cache = RedisResponseCache(client: client, prefix: "t:", maxKeysPerTag: 3)
        let keys = (1...5).map { CacheKey(identity: "user:alice", method: "GET", url: "/api/v2/scenarios/\($0)") }
        for (index, key) in keys.enumerated() {
            // The last lives an hour, the rest about a minute.
            try await cache.store([UInt8(index)], for: key, ttl: .seconds(index == 4 ? 3600 : 60 + index),
                                  tags: ["scenarios"])
        }
        #expect(try await client.send("ZCARD", "t:cachetags:scenarios") == .integer(3))
        // Dropped from the tag with their entries, so an invalidation can never miss a live one.
        #expect(try await cache.value(for: keys[0]) == nil)
        #expect(try await cache.value(for: keys[1]) == nil)
        #expect(try await cache.value(for: keys[4]) == [4])
        let ttl = try #require(try await client.send("PTTL", "t:cachetags:scenarios").integer)
        #expect(ttl > 100_000 && ttl <= 3_600_000)
        try await cache.invalidate(tag: "scenarios")
        for key in keys { #expect(try await cache.value(for: key) == nil) }

        // Entries that expired by themselves leave the tag at its next write.
        for key in keys.prefix(3) { try await cache.store([1], for: key, ttl: .milliseconds(1), tags: ["runs"]) }
        #expect(try await eventually { try await cache.value(for: keys[2]) == nil })
        try await cache.store([2], for: keys[3], ttl: .seconds(60), tags: ["runs"])
        #expect(try await client.send("ZCARD", "t:cachetags:runs") == .integer(1))
    }

    @Test("entries expire after their TTL")
    func expiry() async throws {
        let clock = ManualClock()
        let cache = InMemoryResponseCache(now: { clock.now })
        try await cache.store([1], for: alice, ttl: .seconds(30), tags: [])
        clock.advance(by: .seconds(29))
        #expect(try await cache.value(for: alice) == [1])
        clock.advance(by: .seconds(2))
        #expect(try await cache.value(for: alice) == nil)
    }
}
