import EventLoops
import Stores
import Synchronization
import TestSupport
import Testing

@Suite("Rate limits", .timeLimit(.minutes(1)))
struct RateLimiterTests {
    @Test("a burst up to the limit, then refusals carrying the wait, then one more per interval")
    func gcra() async throws {
        let clock = Mutex<Int64>(1_000_000)
        let limiter = InMemoryRateLimiter(now: { clock.withLock { $0 } })
        for expectedRemaining in stride(from: 4, through: 0, by: -1) {
            let decision = try await limiter.check(key: "u", limit: 5, window: .seconds(10))
            #expect(decision.isAllowed)
            #expect(decision.remaining == expectedRemaining)
        }
        let refused = try await limiter.check(key: "u", limit: 5, window: .seconds(10))
        #expect(!refused.isAllowed)
        #expect(refused.retryAfter == .seconds(2))
        #expect(try await limiter.check(key: "other", limit: 5, window: .seconds(10)).isAllowed)
        clock.withLock { $0 += 2_000_000 }
        #expect(try await limiter.check(key: "u", limit: 5, window: .seconds(10)).isAllowed)
        #expect(try await !limiter.check(key: "u", limit: 5, window: .seconds(10)).isAllowed)
    }

    @Test("several keys in one check: counted in order; the first refusal ends it and leaves the keys after it uncounted",
          arguments: ["memory", "redis"])
    func severalKeys(store: String) async throws {
        let server = store == "redis" ? try await RedisServer.start() : nil
        defer { server?.stop() }
        let limiter: any RateLimiter =
            if let server {
                RedisRateLimiter(client: RedisClient(configuration: .init(url: try #require(RedisURL(server.url)))),
                                 prefix: "t:")
            } else {
                InMemoryRateLimiter()
            }
        let both = [RateLimitCheck(key: "request", limit: 2, window: .seconds(3600)),
                    RateLimitCheck(key: "reads", limit: 5, window: .seconds(3600))]
        for expectedRemaining in [(1, 4), (0, 3)] {
            let decisions = try await limiter.check(both)
            #expect(decisions.map(\.isAllowed) == [true, true])
            #expect(decisions.map(\.remaining) == [expectedRemaining.0, expectedRemaining.1])
        }
        let refused = try await limiter.check(both)
        #expect(refused.count == 1)
        #expect(refused.first?.isAllowed == false)
        #expect(refused.first?.limit == 2)
        // The refused step did not count against reads: two were counted, so two more leave two.
        #expect(try await limiter.check(key: "reads", limit: 5, window: .seconds(3600)).remaining == 2)
        #expect(try await limiter.check([]).isEmpty)
    }

    @Test("""
        Redis: the checks made in one event-loop iteration go as one script, each still its own step, in order, \
        reading and writing each key once
        """)
    func batchedOnLoop() async throws {
        let redis = try await LoopLimiter.start()
        defer { redis.server.stop() }
        let limiter = redis.limiter
        let admin = RedisClient(configuration: .init(url: redis.url))
        // The script is loaded before counting.
        _ = try await limiter.check(key: "warm", limit: 1, window: .seconds(3600))
        let before = try await admin.calls(of: "evalsha")
        let (getsBefore, setsBefore) = (try await admin.calls(of: "get"), try await admin.calls(of: "set"))
        let steps = (0..<3).map { index in
            [RateLimitCheck(key: "shared", limit: 2, window: .seconds(3600)),
             RateLimitCheck(key: "own\(index)", limit: 5, window: .seconds(3600))]
        }
        let outcomes = try await redis.checkInOneIteration(steps)
        #expect(try await admin.calls(of: "evalsha") - before == 1)
        // The session generation, then "shared" once for its three steps, own0 and own1; own2 was not reached.
        #expect(try await admin.calls(of: "get") - getsBefore == 4)
        #expect(try await admin.calls(of: "set") - setsBefore == 3)
        #expect(outcomes.map { $0.decisions.map(\.isAllowed) } == [[true, true], [true, true], [false]])
        #expect(outcomes.map { $0.decisions.map(\.remaining) } == [[1, 4], [0, 4], [0]])
        // The refused step left its second key uncounted.
        #expect(try await limiter.check(key: "own2", limit: 5, window: .seconds(3600)).remaining == 4)
        await redis.group.stop()
    }

    @Test("Redis: batches of every size the script's arguments take: limits past 255, 65,536 numbers and more")
    func largeBatches() async throws {
        let redis = try await LoopLimiter.start()
        defer { redis.server.stop() }
        let limiter = redis.limiter
        let window = Duration.seconds(3600)
        // 300 keys, then two more steps on the last: 605 numbers, limits referred to by one and two bytes.
        let last = RateLimitCheck(key: "key299", limit: 2, window: window)
        let steps = (0..<300).map { [RateLimitCheck(key: "key\($0)", limit: 2, window: window)] } + [[last], [last]]
        let outcomes = try await redis.checkInOneIteration(steps)
        #expect(outcomes.count == 302)
        #expect(outcomes.prefix(300).allSatisfy { $0.decisions.map(\.remaining) == [1] })
        #expect(outcomes[300].decisions.map(\.remaining) == [0])
        #expect(outcomes[301].decisions.map(\.isAllowed) == [false])
        #expect(try await limiter.check(key: "key0", limit: 2, window: window).remaining == 0)
        // One step of 70,000 checks: its count takes four bytes, the numbers a 32-bit array length. One request an
        // hour once used up, so the check after it is refused however long the batch took.
        let many = RateLimitCheck(key: "many", limit: 70_000, window: .seconds(70_000 * 3600))
        let manyOutcome = try await redis.checkInOneIteration([Array(repeating: many, count: 70_000)])
        #expect(manyOutcome.first?.decisions.count == 70_000)
        #expect(manyOutcome.first?.decisions.last?.remaining == 0)
        #expect(try await !limiter.check([many])[0].isAllowed)
        await redis.group.stop()
    }

    @Test("Redis: two limits on one key in one batch count against that one key, as the in-memory store does")
    func limitsSharingAKey() async throws {
        let redis = try await LoopLimiter.start()
        defer { redis.server.stop() }
        let strict = RateLimitCheck(key: "shared", limit: 2, window: .seconds(3600))
        let loose = RateLimitCheck(key: "shared", limit: 5, window: .seconds(3600))
        let steps = [[strict], [loose], [loose], [strict]]
        let outcomes = try await redis.checkInOneIteration(steps)
        let inMemory = InMemoryRateLimiter(now: { 1_000_000 })
        let expected = try steps.map { try #require(inMemory.checkImmediately($0)) }
        #expect(expected.map { $0.map(\.isAllowed) } == [[true], [true], [true], [false]])
        #expect(outcomes.map(\.decisions) == expected)
        await redis.group.stop()
    }

    @Test("Redis: concurrent clients on several replicas are counted exactly once each")
    func exactAcrossReplicas() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let url = try #require(RedisURL(server.url))
        let replicas = (0..<3).map { _ in
            RedisRateLimiter(client: RedisClient(configuration: .init(url: url)), prefix: "t:")
        }
        let allowed = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<300 {
                group.addTask {
                    try await replicas[index % 3].check(key: "user", limit: 100, window: .seconds(3600)).isAllowed ? 1 : 0
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(allowed == 100)
        let refused = try await replicas[0].check(key: "user", limit: 100, window: .seconds(3600))
        #expect(!refused.isAllowed)
        #expect(refused.retryAfter > .seconds(30))
        #expect(refused.retryAfter <= .seconds(36))
    }
}

/// A real redis-server and a Redis limiter whose client runs on one event loop of its own, for checks batched on it.
private struct LoopLimiter {
    let server: RedisServer
    let url: RedisURL
    let group: EventLoopGroup
    let limiter: RedisRateLimiter

    static func start() async throws -> LoopLimiter {
        let server = try await RedisServer.start()
        let url = try #require(RedisURL(server.url))
        let group = EventLoopGroup(count: 1, label: "test.redis")
        group.start()
        let limiter = RedisRateLimiter(client: RedisClient(configuration: .init(url: url), eventLoops: group),
                                       prefix: "t:")
        return LoopLimiter(server: server, url: url, group: group, limiter: limiter)
    }

    /// Makes each step's check on the loop in one iteration, so they go to Redis as one batch; their outcomes.
    func checkInOneIteration(_ steps: [[RateLimitCheck]]) async throws -> [RateLimitOutcome] {
        try await withCheckedThrowingContinuation { continuation in
            let collected = Mutex<[Int: Result<RateLimitOutcome, StoreError>]>([:])
            let isTaken = group.loops[0].execute {
                for (index, checks) in steps.enumerated() {
                    limiter.check(checks) { result in
                        let all = collected.withLock { collected -> [Int: Result<RateLimitOutcome, StoreError>]? in
                            collected[index] = result
                            return collected.count == steps.count ? collected : nil
                        }
                        if let all {
                            continuation.resume(with: Result { try (0..<steps.count).map { try all[$0]!.get() } })
                        }
                    }
                }
            }
            if !isTaken { continuation.resume(throwing: StoreError.unavailable("loop stopped")) }
        }
    }
}
