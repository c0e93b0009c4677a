/// Rate limits shared by every replica: one atomic script per check (one round trip), on Redis's clock so replicas
/// with drifting clocks still agree.
package final class RedisRateLimiter: RateLimiter {
    private let client: RedisClient
    private let prefix: String
    private let generationKey: [UInt8]

    package init(client: RedisClient, prefix: String) {
        self.client = client
        self.prefix = prefix
        generationKey = RedisSessionStore.generationKey(prefix: prefix)
    }

    /// GCRA as in ``CellRate``, for each key of KEYS[2...] in turn: ARGV holds each key's limit and window (in
    /// microseconds), in pairs. Returns the session generation (KEYS[1], 0 when unset) and then, for each key
    /// checked, `{allowed, remaining, resetAfter, retryAfter}`, times in microseconds; it stops after the first
    /// refusal, leaving the keys after it uncounted.
    private static let script = RedisScript("""
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
        local result = {redis.call('GET', KEYS[1]) or '0'}
        for index = 2, #KEYS do
            local key = KEYS[index]
            local limit = tonumber(ARGV[2 * index - 3])
            local window = tonumber(ARGV[2 * index - 2])
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

    package func check(_ checks: [RateLimitCheck],
                       completion: @escaping @Sendable (Result<RateLimitOutcome, StoreError>) -> Void)
    {
        guard !checks.isEmpty else { return completion(.success(RateLimitOutcome(decisions: []))) }
        var keys: [[UInt8]] = [generationKey]
        var arguments: [[UInt8]] = []
        keys.reserveCapacity(checks.count + 1)
        arguments.reserveCapacity(checks.count * 2)
        for check in checks {
            let (seconds, attoseconds) = check.window.components
            let microseconds = max(1, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
            keys.append(Array("\(prefix)rl:\(check.key)".utf8))
            arguments.append(Array(String(max(1, check.limit)).utf8))
            arguments.append(Array(String(microseconds).utf8))
        }
        client.evaluate(Self.script, keys: keys, arguments: arguments) { result in
            completion(result.flatMap { reply in Self.outcome(of: reply, for: checks) })
        }
    }

    private static func outcome(of reply: RedisValue, for checks: [RateLimitCheck])
        -> Result<RateLimitOutcome, StoreError>
    {
        guard let values = reply.array, let generation = values.first?.bytes.flatMap({ UInt64(String(decoding: $0, as: UTF8.self)) }),
              case let fields = values.dropFirst().compactMap(\.integer), fields.count == values.count - 1,
              fields.count % 4 == 0, !fields.isEmpty, fields.count <= checks.count * 4
        else {
            return .failure(.unavailable("redis rate-limit script answered \(reply)"))
        }
        var decisions: [RateLimitDecision] = []
        decisions.reserveCapacity(fields.count / 4)
        for index in 0..<fields.count / 4 {
            let base = index * 4
            decisions.append(RateLimitDecision(
                isAllowed: fields[base] == 1, limit: checks[index].limit, remaining: Int(max(0, fields[base + 1])),
                resetAfter: .microseconds(fields[base + 2]), retryAfter: .microseconds(fields[base + 3])))
        }
        return .success(RateLimitOutcome(decisions: decisions, sessionGeneration: generation))
    }
}
