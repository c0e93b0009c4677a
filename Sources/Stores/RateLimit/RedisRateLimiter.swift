internal import EventLoops

/// Rate limits shared by every replica: one atomic script per check (one round trip), on Redis's clock so replicas
/// with drifting clocks still agree.
///
/// Checks made on an event loop of the client during one loop iteration go to Redis as one script run at the end of
/// it, each still counted as its own atomic step, in the order made: Redis dispatches the script, reads its clock
/// and the session generation once for all of them.
package final class RedisRateLimiter: RateLimiter {
    private let client: RedisClient
    private let prefix: String
    private let generationKey: [UInt8]
    /// The checks waiting for the end of their loop's iteration, one batch per loop of the client.
    private let batches: [(loop: EventLoop, batch: LoopBatch)]

    package init(client: RedisClient, prefix: String) {
        self.client = client
        self.prefix = prefix
        generationKey = RedisSessionStore.generationKey(prefix: prefix)
        batches = client.eventLoops.map { ($0, LoopBatch()) }
    }

    /// Each step is ARGV `count, limit, window, limit, window, …` (windows in microseconds) over the next `count`
    /// keys of KEYS[2...], counted by GCRA as in ``CellRate`` key by key, stopping at the first refusal and leaving
    /// the step's keys after it uncounted. Returns the session generation (KEYS[1], 0 when unset), then for each
    /// step the number of decisions made and, for each, `{allowed, remaining, resetAfter, retryAfter}`, times in
    /// microseconds.
    private static let script = RedisScript("""
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
        local result = {redis.call('GET', KEYS[1]) or '0'}
        local last, key, argument = 1, 2, 1
        while argument <= #ARGV do
            local count = tonumber(ARGV[argument])
            local made = last + 1
            result[made] = 0
            last = made
            local refused = false
            for _ = 1, count do
                if not refused then
                    local window = tonumber(ARGV[argument + 2])
                    local interval = math.max(1, math.floor(window / tonumber(ARGV[argument + 1])))
                    local arrival = tonumber(redis.call('GET', KEYS[key])) or now
                    if arrival < now then arrival = now end
                    local nextArrival = arrival + interval
                    local allowAt = nextArrival - window
                    if now < allowAt then
                        result[last + 1], result[last + 2] = 0, 0
                        result[last + 3], result[last + 4] = arrival - now, allowAt - now
                        refused = true
                    else
                        redis.call('SET', KEYS[key], nextArrival, 'PX', math.ceil((nextArrival - now) / 1000) + 1)
                        result[last + 1], result[last + 2] = 1, math.floor((window - (nextArrival - now)) / interval)
                        result[last + 3], result[last + 4] = nextArrival - now, 0
                    end
                    result[made] = result[made] + 1
                    last = last + 4
                end
                key = key + 1
                argument = argument + 2
            end
            argument = argument + 1
        end
        return result
        """)

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
                let (seconds, attoseconds) = check.window.components
                let microseconds = max(1, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
                keys.append(Array("\(prefix)rl:\(check.key)".utf8))
                arguments.append(Array(String(max(1, check.limit)).utf8))
                arguments.append(Array(String(microseconds).utf8))
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

    private static func outcomes(of reply: RedisValue, for steps: [Step]) -> Result<[RateLimitOutcome], StoreError> {
        var unreadable: StoreError { .unavailable("redis rate-limit script answered \(reply)") }
        guard let values = reply.array,
              let generation = values.first?.bytes.flatMap({ UInt64(String(decoding: $0, as: UTF8.self)) })
        else { return .failure(unreadable) }
        var outcomes: [RateLimitOutcome] = []
        outcomes.reserveCapacity(steps.count)
        var index = 1
        for step in steps {
            guard index < values.count, let count = values[index].integer, count >= 1, count <= step.checks.count,
                  index + Int(count) * 4 < values.count
            else { return .failure(unreadable) }
            var decisions: [RateLimitDecision] = []
            decisions.reserveCapacity(Int(count))
            for position in 0..<Int(count) {
                let base = index + 1 + position * 4
                guard let allowed = values[base].integer, let remaining = values[base + 1].integer,
                      let resetAfter = values[base + 2].integer, let retryAfter = values[base + 3].integer
                else { return .failure(unreadable) }
                decisions.append(RateLimitDecision(
                    isAllowed: allowed == 1, limit: step.checks[position].limit, remaining: Int(max(0, remaining)),
                    resetAfter: .microseconds(resetAfter), retryAfter: .microseconds(retryAfter)))
            }
            outcomes.append(RateLimitOutcome(decisions: decisions, sessionGeneration: generation))
            index += 1 + Int(count) * 4
        }
        return index == values.count ? .success(outcomes) : .failure(unreadable)
    }
}
