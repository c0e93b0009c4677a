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

    /// KEYS[2...] are the batch's distinct limits, each once: ARGV[3i-2...3i] is the i-th one's interval, window
    /// (microseconds, the interval being the window over the limit) and key TTL (milliseconds, a window and a
    /// millisecond: a key is never needed longer). The last argument is the steps as one MessagePack array of
    /// numbers (``messagePack(_:)``), each step `count, limit, limit, …` with limits by index, counted by GCRA as in
    /// ``CellRate`` in order, stopping at a step's first refusal and leaving its keys after it uncounted.
    /// A key is read at most once and written at most once per run, however many steps count against it: a client's
    /// burst in one loop iteration costs Redis one GET and one SET per key, not per request. The steps travel as
    /// MessagePack rather than an argument per number because Lua turns text into numbers slowly (about 0.1 µs a
    /// `tonumber`) and Redis makes a Lua string of every argument.
    /// Returns the session generation (KEYS[1], 0 when unset), then one integer per decision made: for an allowed
    /// request the microseconds until its key's allowance is whole again (at least 1), for a refusal minus one minus
    /// the microseconds until then. Everything else a decision says follows from that and the key's interval and
    /// window (``decision(_:for:)``), so the reply stays small and Redis does as little as it can.
    private static let script = RedisScript("""
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
        local result, count = {redis.call('GET', KEYS[1]) or '0'}, 1
        local limits = #KEYS - 1
        -- A key's state lives in the slot of the first limit naming it, should two limits share a key.
        local intervals, windows, slots, slotOfKey, arrivals, written = {}, {}, {}, {}, {}, {}
        for limit = 1, limits do
            intervals[limit] = tonumber(ARGV[3 * limit - 2])
            windows[limit] = tonumber(ARGV[3 * limit - 1])
            local key = KEYS[limit + 1]
            slotOfKey[key] = slotOfKey[key] or limit
            slots[limit] = slotOfKey[key]
        end
        local steps = cmsgpack.unpack(ARGV[#ARGV])
        local position, total = 1, #steps
        while position <= total do
            local last = position + steps[position]
            for index = position + 1, last do
                local limit = steps[index]
                local slot = slots[limit]
                local arrival = arrivals[slot]
                if not arrival then
                    arrival = tonumber(redis.call('GET', KEYS[slot + 1])) or now
                    if arrival < now then arrival = now end
                    arrivals[slot] = arrival
                end
                local nextArrival = arrival + intervals[limit]
                count = count + 1
                if now < nextArrival - windows[limit] then
                    result[count] = now - arrival - 1
                    break
                end
                arrivals[slot] = nextArrival
                written[limit] = true
                result[count] = nextArrival - now
            end
            position = last + 1
        end
        local ttls = {}
        for limit = 1, limits do
            local slot, ttl = slots[limit], ARGV[3 * limit]
            if written[limit] and (not ttls[slot] or tonumber(ttls[slot]) < tonumber(ttl)) then ttls[slot] = ttl end
        end
        for slot = 1, limits do
            if ttls[slot] then
                -- Formatted here: Redis turns a Lua number into an argument by a slower %.17g.
                redis.call('SET', KEYS[slot + 1], string.format('%d', arrivals[slot]), 'PX', ttls[slot])
            end
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
        var stepNumbers: [Int] = []
        var indices: [RateLimitCheck: Int] = [:]
        for step in steps {
            stepNumbers.append(step.checks.count)
            for check in step.checks {
                if let index = indices[check] {
                    stepNumbers.append(index)
                    continue
                }
                let (interval, window) = Self.microseconds(of: check)
                var key = keyPrefix
                key.append(contentsOf: check.key.utf8)
                keys.append(key)
                arguments.append(Array(String(interval).utf8))
                arguments.append(Array(String(window).utf8))
                arguments.append(Array(String(window / 1000 + 1).utf8))
                indices[check] = keys.count - 1
                stepNumbers.append(keys.count - 1)
            }
        }
        arguments.append(Self.messagePack(stepNumbers))
        client.evaluate(Self.script, keys: keys, arguments: arguments) { result in
            switch result.flatMap({ Self.outcomes(of: $0, for: steps) }) {
            case .success(let outcomes):
                for (step, outcome) in zip(steps, outcomes) { step.completion(.success(outcome)) }
            case .failure(let error):
                for step in steps { step.completion(.failure(error)) }
            }
        }
    }

    /// `numbers` (none negative) as one MessagePack array, the form the script's `cmsgpack.unpack` reads: an array
    /// header, then each number in the shortest of positive fixint, uint 8, 16, 32 and 64.
    private static func messagePack(_ numbers: [Int]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(numbers.count + 5)
        switch numbers.count {
        case ..<16: bytes.append(0x90 | UInt8(numbers.count))
        case ...Int(UInt16.max): appendBigEndian(UInt16(numbers.count), after: 0xDC, to: &bytes)
        default: appendBigEndian(UInt32(numbers.count), after: 0xDD, to: &bytes)
        }
        for number in numbers {
            switch number {
            case ..<0x80: bytes.append(UInt8(number))
            case ...Int(UInt8.max): appendBigEndian(UInt8(number), after: 0xCC, to: &bytes)
            case ...Int(UInt16.max): appendBigEndian(UInt16(number), after: 0xCD, to: &bytes)
            case ...Int(UInt32.max): appendBigEndian(UInt32(number), after: 0xCE, to: &bytes)
            default: appendBigEndian(UInt64(number), after: 0xCF, to: &bytes)
            }
        }
        return bytes
    }

    private static func appendBigEndian(_ value: some FixedWidthInteger, after marker: UInt8, to bytes: inout [UInt8]) {
        bytes.append(marker)
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
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
              let generation = values.first.flatMap(RedisSessionStore.generation(of:))
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
