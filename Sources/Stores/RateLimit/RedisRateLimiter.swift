/// Rate limits shared by every replica: one atomic script per check (one round trip), on Redis's clock so replicas
/// with drifting clocks still agree.
package final class RedisRateLimiter: RateLimiter {
    private let client: RedisClient
    private let prefix: String

    package init(client: RedisClient, prefix: String) {
        self.client = client
        self.prefix = prefix
    }

    /// GCRA as in ``CellRate``, for each key in turn: ARGV holds each key's limit and window (in microseconds), in
    /// pairs; for each key checked it returns `{allowed, remaining, resetAfter, retryAfter}`, times in
    /// microseconds, and it stops after the first refusal, leaving the keys after it uncounted.
    private static let script = RedisScript("""
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
        local result = {}
        for index, key in ipairs(KEYS) do
            local limit = tonumber(ARGV[2 * index - 1])
            local window = tonumber(ARGV[2 * index])
            local interval = math.max(1, math.floor(window / limit))
            local stored = tonumber(redis.call('GET', key))
            local arrival = math.max(stored or now, now)
            local nextArrival = arrival + interval
            local allowAt = nextArrival - window
            if now < allowAt then
                for _, value in ipairs({0, 0, arrival - now, allowAt - now}) do table.insert(result, value) end
                return result
            end
            redis.call('SET', key, nextArrival, 'PX', math.ceil((nextArrival - now) / 1000) + 1)
            for _, value in ipairs({1, math.floor((window - (nextArrival - now)) / interval), nextArrival - now, 0}) do
                table.insert(result, value)
            end
        end
        return result
        """)

    /// Always needs a round trip.
    package func checkImmediately(_ checks: [RateLimitCheck]) -> [RateLimitDecision]? { nil }

    package func check(_ checks: [RateLimitCheck]) async throws(StoreError) -> [RateLimitDecision] {
        guard !checks.isEmpty else { return [] }
        var arguments: [[UInt8]] = []
        arguments.reserveCapacity(checks.count * 2)
        for check in checks {
            let (seconds, attoseconds) = check.window.components
            let microseconds = max(1, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
            arguments.append(Array(String(max(1, check.limit)).utf8))
            arguments.append(Array(String(microseconds).utf8))
        }
        let reply = try await client.evaluate(Self.script, keys: checks.map { Array("\(prefix)rl:\($0.key)".utf8) },
                                              arguments: arguments)
        guard let values = reply.array?.compactMap(\.integer), values.count % 4 == 0, !values.isEmpty,
              values.count <= checks.count * 4
        else {
            throw .unavailable("redis rate-limit script answered \(reply)")
        }
        var decisions: [RateLimitDecision] = []
        for index in 0..<values.count / 4 {
            let fields = values[index * 4..<index * 4 + 4].map { $0 }
            decisions.append(RateLimitDecision(
                isAllowed: fields[0] == 1, limit: checks[index].limit, remaining: Int(max(0, fields[1])),
                resetAfter: .microseconds(fields[2]), retryAfter: .microseconds(fields[3])))
        }
        return decisions
    }
}
