internal import EventLoops

/// Rate limits shared by every replica: one atomic script per check (one round trip), on Redis's clock so replicas
/// with drifting clocks still agree.
///
/// Checks made on an event loop of the client during one loop iteration go to Redis as one script run at the end of
/// it, each still counted as its own atomic step, in the order made: Redis dispatches the script, reads its clock
/// and the session generation once for all of them.
package final class RedisRateLimiter: RateLimiter {
    private let client: RedisClient
    private let generationKey: [UInt8]
    /// `<prefix>rl:`, which every limit's key starts with.
    private let keyPrefix: [UInt8]
    /// The checks waiting for the end of their loop's iteration, one batch per loop of the client.
    private let batches: [(loop: EventLoop, batch: LoopBatch)]

    package init(client: RedisClient, prefix: String) {
        self.client = client
        generationKey = RedisSessionStore.generationKey(prefix: prefix)
        keyPrefix = Array("\(prefix)rl:".utf8)
        batches = client.eventLoops.map { ($0, LoopBatch()) }
    }

    /// Each step is ARGV `count, interval, window, ttl, interval, window, ttl, …` (interval and window in
    /// microseconds, the interval being the window over the limit; the keys' TTL in milliseconds, a window and a
    /// millisecond: a key is never needed longer) over the next `count` keys of KEYS[2...], counted by GCRA as in
    /// ``CellRate`` key by key, stopping at the first refusal and leaving the step's keys after it uncounted.
    /// Returns the session generation (KEYS[1], 0 when unset), then one integer per decision made: for an allowed
    /// request the microseconds until its key's allowance is whole again (at least 1), for a refusal minus one minus
    /// the microseconds until then. Everything else a decision says follows from that and the key's interval and
    /// window (``decision(_:for:)``), so the reply stays small and Redis does as little as it can.
    private static let script = RedisScript("""
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
        local result = {redis.call('GET', KEYS[1]) or '0'}
        local key, argument = 2, 1
        while argument <= #ARGV do
            local count = tonumber(ARGV[argument])
            argument = argument + 1
            for index = 0, count - 1 do
                local interval = tonumber(ARGV[argument + 3 * index])
                local window = tonumber(ARGV[argument + 3 * index + 1])
                local arrival = tonumber(redis.call('GET', KEYS[key + index])) or now
                if arrival < now then arrival = now end
                local nextArrival = arrival + interval
                if now < nextArrival - window then
                    result[#result + 1] = now - arrival - 1
                    break
                end
                -- Formatted here: Redis turns a Lua number into an argument by a slower %.17g.
                redis.call('SET', KEYS[key + index], string.format('%d', nextArrival),
                    'PX', ARGV[argument + 3 * index + 2])
                result[#result + 1] = nextArrival - now
            end
            key = key + count
            argument = argument + 3 * count
        end
        return result
        """)

    package let needsRoundTrip = true

    /// Always needs a round trip.
    package func checkImmediately(_ checks: [RateLimitCheck]) -> [RateLimitDecision]? { nil }

    package func check(_ checks: [RateLimitCheck],
                       completion: @escaping @Sendable (Result<RateLimitOutcome, StoreError>) -> Void)
    {
        guard !checks.isEmpty else { return completion(.success(RateLimitOutcome(decisions: []))) }
        let step = Step(checks: checks, completion: completion)
        guard let current = EventLoop.current, let batch = batches.first(where: { $0.loop === current })?.batch else {
            return run([step])
        }
        if batch.steps.isEmpty {
            current.deferUntilIdle { [self] in
                let steps = batch.steps
                batch.steps = []
                run(steps)
            }
        }
        batch.steps.append(step)
    }

    /// One request's checks and who waits for their outcome.
    private struct Step {
        let checks: [RateLimitCheck]
        let completion: @Sendable (Result<RateLimitOutcome, StoreError>) -> Void
    }

    /// Steps made on one loop in its current iteration; touched on that loop's thread only.
    private final class LoopBatch: @unchecked Sendable {
        var steps: [Step] = []
    }

    private func run(_ steps: [Step]) {
        var keys: [[UInt8]] = [generationKey]
        var arguments: [[UInt8]] = []
        for step in steps {
            arguments.append(Array(String(step.checks.count).utf8))
            for check in step.checks {
                let (interval, window) = Self.microseconds(of: check)
                var key = keyPrefix
                key.append(contentsOf: check.key.utf8)
                keys.append(key)
                arguments.append(Array(String(interval).utf8))
                arguments.append(Array(String(window).utf8))
                arguments.append(Array(String(window / 1000 + 1).utf8))
            }
        }
        client.evaluate(Self.script, keys: keys, arguments: arguments) { result in
            switch result.flatMap({ Self.outcomes(of: $0, for: steps) }) {
            case .success(let outcomes):
                for (step, outcome) in zip(steps, outcomes) { step.completion(.success(outcome)) }
            case .failure(let error):
                for step in steps { step.completion(.failure(error)) }
            }
        }
    }

    /// The check's interval between requests and its window, in microseconds, as ``CellRate`` has them.
    private static func microseconds(of check: RateLimitCheck) -> (interval: Int64, window: Int64) {
        let (seconds, attoseconds) = check.window.components
        let window = max(1, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        return (max(1, window / Int64(max(1, check.limit))), window)
    }

    /// The decision the script's integer for `check` stands for (see ``script``).
    private static func decision(_ value: Int64, for check: RateLimitCheck) -> RateLimitDecision {
        let (interval, window) = microseconds(of: check)
        guard value > 0 else {
            let resetAfter = -value - 1
            return RateLimitDecision(isAllowed: false, limit: check.limit, remaining: 0,
                                     resetAfter: .microseconds(resetAfter),
                                     retryAfter: .microseconds(resetAfter + interval - window))
        }
        return RateLimitDecision(isAllowed: true, limit: check.limit,
                                 remaining: Int(max(0, (window - value) / interval)),
                                 resetAfter: .microseconds(value), retryAfter: .zero)
    }

    private static func outcomes(of reply: RedisValue, for steps: [Step]) -> Result<[RateLimitOutcome], StoreError> {
        var unreadable: StoreError { .unavailable("redis rate-limit script answered \(reply)") }
        guard let values = reply.array,
              let generation = values.first?.bytes.flatMap({ UInt64(String(decoding: $0, as: UTF8.self)) })
        else { return .failure(unreadable) }
        var outcomes: [RateLimitOutcome] = []
        outcomes.reserveCapacity(steps.count)
        var index = 1
        for step in steps {
            var decisions: [RateLimitDecision] = []
            decisions.reserveCapacity(step.checks.count)
            for check in step.checks {
                guard index < values.count, let value = values[index].integer else { return .failure(unreadable) }
                index += 1
                let decision = decision(value, for: check)
                decisions.append(decision)
                if !decision.isAllowed { break }
            }
            outcomes.append(RateLimitOutcome(decisions: decisions, sessionGeneration: generation))
        }
        return index == values.count ? .success(outcomes) : .failure(unreadable)
    }
}
