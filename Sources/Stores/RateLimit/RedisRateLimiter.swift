/// Rate limits shared by every replica: one atomic script per check (one round trip), on Redis's clock so replicas
/// with drifting clocks still agree.
package final class RedisRateLimiter: RateLimiter {
    private let client: RedisClient
    private let prefix: String

    package init(client: RedisClient, prefix: String) {
        self.client = client
        self.prefix = prefix
    }

    /// GCRA as in ``CellRate``: ARGV are the limit and the window in microseconds; returns
    /// `{allowed, remaining, resetAfter, retryAfter}` with times in microseconds.
    private static let script = RedisScript("""
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
        local limit = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local interval = math.max(1, math.floor(window / limit))
        local stored = tonumber(redis.call('GET', KEYS[1]))
        local arrival = math.max(stored or now, now)
        local nextArrival = arrival + interval
        local allowAt = nextArrival - window
        if now < allowAt then
            return {0, 0, arrival - now, allowAt - now}
        end
        redis.call('SET', KEYS[1], nextArrival, 'PX', math.ceil((nextArrival - now) / 1000) + 1)
        return {1, math.floor((window - (nextArrival - now)) / interval), nextArrival - now, 0}
        """)

    /// Always needs a round trip.
    package func checkImmediately(key: String, limit: Int, window: Duration) -> RateLimitDecision? { nil }

    package func check(key: String, limit: Int, window: Duration) async throws(StoreError) -> RateLimitDecision {
        let (seconds, attoseconds) = window.components
        let microseconds = max(1, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        let reply = try await client.evaluate(Self.script, keys: [Array("\(prefix)rl:\(key)".utf8)],
                                              arguments: [Array(String(max(1, limit)).utf8),
                                                          Array(String(microseconds).utf8)])
        guard let values = reply.array?.compactMap(\.integer), values.count == 4 else {
            throw .unavailable("redis rate-limit script answered \(reply)")
        }
        return RateLimitDecision(isAllowed: values[0] == 1, limit: limit, remaining: Int(max(0, values[1])),
                                 resetAfter: .microseconds(values[2]), retryAfter: .microseconds(values[3]))
    }
}
