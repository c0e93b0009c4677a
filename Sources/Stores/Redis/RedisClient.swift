internal import Dispatch
internal import Synchronization

/// Redis commands over a small pool of hiredis connections, as async calls.
///
/// Each connection runs its blocking calls on its own serial queue, so a slow command holds up only the commands
/// queued behind it on that connection, and no thread that serves HTTP ever waits on Redis.
package final class RedisClient: Sendable {
    package struct Configuration: Sendable {
        package var url: RedisURL
        package var poolSize: Int
        package var connectTimeout: Duration
        package var commandTimeout: Duration
        /// Told each round trip's seconds and whether it failed, for metrics.
        package var observe: (@Sendable (_ seconds: Double, _ failed: Bool) -> Void)?

        package init(url: RedisURL, poolSize: Int = 4, connectTimeout: Duration = .seconds(2),
                     commandTimeout: Duration = .seconds(2),
                     observe: (@Sendable (_ seconds: Double, _ failed: Bool) -> Void)? = nil) {
            self.url = url
            self.poolSize = poolSize
            self.connectTimeout = connectTimeout
            self.commandTimeout = commandTimeout
            self.observe = observe
        }
    }

    package let configuration: Configuration
    /// Counts connects across the pool, the probe and a subscriber made from this client: the first connection to
    /// reach Redis after an outage lets every other one retry at once instead of waiting out its backoff.
    let reconnects = RedisReconnectSignal()
    private let connections: [RedisConnection]
    /// One per connection: concurrent commands share its round trips.
    private let batchers: [RedisCommandBatcher]
    /// Its own connection, never backing off, so a PING sees Redis return within one probe interval.
    private let probe: RedisConnection
    private let next = Atomic<Int>(0)

    package init(configuration: Configuration) {
        self.configuration = configuration
        let reconnects = self.reconnects
        connections = (0..<max(1, configuration.poolSize)).map { index in
            RedisConnection(url: configuration.url, connectTimeout: configuration.connectTimeout,
                            commandTimeout: configuration.commandTimeout, label: "redis.\(index)",
                            reconnects: reconnects)
        }
        batchers = connections.map(RedisCommandBatcher.init(connection:))
        probe = RedisConnection(url: configuration.url, connectTimeout: configuration.connectTimeout,
                                commandTimeout: configuration.commandTimeout, label: "redis.probe",
                                reconnects: reconnects, maximumBackoff: .zero)
    }

    /// Whether Redis answers PING now, on the probe connection: a connect is tried on every call, so the first
    /// probe after Redis returns succeeds, and its connect releases the pool's connections from their backoff.
    package func isReachable() async -> Bool {
        let result = await withCheckedContinuation { continuation in
            probe.queue.async { continuation.resume(returning: self.probe.execute([RedisCommand("PING")])) }
        }
        return (try? result.get()) == [.simpleString("PONG")]
    }

    /// Runs one command; an error reply comes back as ``RedisValue/error(_:)``.
    ///
    /// - Throws: ``StoreError/unavailable(_:)`` when Redis cannot be reached or does not answer in time.
    package func send(_ command: RedisCommand) async throws(StoreError) -> RedisValue {
        try await pipeline([command])[0]
    }

    package func send(_ name: String, _ arguments: String...) async throws(StoreError) -> RedisValue {
        try await pipeline([RedisCommand([Array(name.utf8)] + arguments.map { Array($0.utf8) })])[0]
    }

    /// Runs commands back to back on one connection, in one round trip (shared with other callers' commands
    /// waiting for the same connection); replies in order.
    package func pipeline(_ commands: [RedisCommand]) async throws(StoreError) -> [RedisValue] {
        let batcher = batchers[next.wrappingAdd(1, ordering: .relaxed).oldValue % batchers.count]
        let started = ContinuousClock.now
        let result = await batcher.execute(commands)
        if let observe = configuration.observe {
            let elapsed = started.duration(to: .now).components
            var failed = false
            if case .failure = result { failed = true }
            observe(Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18, failed)
        }
        return try result.get()
    }

    /// Runs a Lua script with `EVALSHA`, loading it with `SCRIPT LOAD` first when Redis does not know it yet (at
    /// first use, or after a restart answered `NOSCRIPT`). One round trip in the steady state.
    package func evaluate(_ script: RedisScript, keys: [[UInt8]], arguments: [[UInt8]]) async throws(StoreError)
        -> RedisValue
    {
        let tail = [Array(String(keys.count).utf8)] + keys + arguments
        if let sha1 = script.sha1 {
            let reply = try await send(RedisCommand([Array("EVALSHA".utf8), Array(sha1.utf8)] + tail))
            guard case .error(let message) = reply, message.hasPrefix("NOSCRIPT") else { return reply }
        }
        let loaded = try await send("SCRIPT", "LOAD", script.source)
        guard let sha1 = loaded.string, !sha1.isEmpty else {
            throw .unavailable("redis refused to load a script: \(loaded)")
        }
        script.remember(sha1: sha1)
        return try await send(RedisCommand([Array("EVALSHA".utf8), Array(sha1.utf8)] + tail))
    }

    /// Closes every connection.
    package func close() async {
        for connection in connections + [probe] {
            await withCheckedContinuation { continuation in
                connection.queue.async {
                    connection.disconnect()
                    continuation.resume()
                }
            }
        }
    }
}
