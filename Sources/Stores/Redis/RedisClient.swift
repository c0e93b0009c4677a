internal import Dispatch
package import EventLoops
internal import Synchronization

/// Redis commands as async calls, over connections that event loops drive.
///
/// Each loop of the group keeps its own connection(s). A caller running on one of those loops (a request's task)
/// uses that loop's connection: its commands join whatever else that iteration sends in one write, and the reply
/// resumes it on the same thread. Callers elsewhere hand their commands to the loops in turn. No thread ever blocks
/// on Redis but the connector's while connecting, the readiness probe's and the subscriber's.
package final class RedisClient: Sendable {
    package struct Configuration: Sendable {
        package var url: RedisURL
        /// Connections per event loop. Commands sent in one loop iteration share a write, so one is usually enough;
        /// more spread large replies over several sockets.
        package var connectionsPerLoop: Int
        package var connectTimeout: Duration
        package var commandTimeout: Duration
        /// Told each round trip's seconds and whether it failed, for metrics.
        package var observe: (@Sendable (_ seconds: Double, _ failed: Bool) -> Void)?

        package init(url: RedisURL, connectionsPerLoop: Int = 1, connectTimeout: Duration = .seconds(2),
                     commandTimeout: Duration = .seconds(2),
                     observe: (@Sendable (_ seconds: Double, _ failed: Bool) -> Void)? = nil) {
            self.url = url
            self.connectionsPerLoop = connectionsPerLoop
            self.connectTimeout = connectTimeout
            self.commandTimeout = commandTimeout
            self.observe = observe
        }
    }

    package let configuration: Configuration
    /// Counts connects across the pool, the probe and a subscriber made from this client: the first connection to
    /// reach Redis after an outage lets every other one retry at once instead of waiting out its backoff.
    let reconnects = RedisReconnectSignal()
    /// Each loop with its connections, in the group's order.
    private let connectionsByLoop: [(loop: EventLoop, connections: [RedisLoopConnection])]
    /// The loops that drive the connections; a caller on one of them is served by that loop's connection.
    package var eventLoops: [EventLoop] { connectionsByLoop.map(\.loop) }
    /// Every connection, for callers on no loop of the group.
    private let connections: [RedisLoopConnection]
    /// Its own connection, never backing off, so a PING sees Redis return within one probe interval.
    private let probe: RedisConnection
    private let next = Atomic<Int>(0)

    /// - Parameter eventLoops: The loops that drive the connections: the HTTP server's, so requests' tasks find a
    ///   connection on their own thread. The default is a shared loop for clients outside the gateway (tests, tools).
    package init(configuration: Configuration, eventLoops: EventLoopGroup = .shared) {
        self.configuration = configuration
        let reconnects = self.reconnects
        let endpoint = configuration.url.endpointDescription
        connectionsByLoop = eventLoops.loops.enumerated().map { loopIndex, loop in
            let connections = (0..<max(1, configuration.connectionsPerLoop)).map { index in
                // The connector's backoff and connect timeout are the connection's; it never runs a command itself.
                let connector = RedisConnection(url: configuration.url, connectTimeout: configuration.connectTimeout,
                                                commandTimeout: configuration.commandTimeout,
                                                label: "redis.connect.\(loopIndex).\(index)", reconnects: reconnects)
                return RedisLoopConnection(loop: loop, connector: connector, endpoint: endpoint,
                                           commandTimeout: configuration.commandTimeout)
            }
            return (loop, connections)
        }
        connections = connectionsByLoop.flatMap(\.connections)
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

    /// Runs commands back to back on one connection, in one round trip (shared with other callers' commands sent
    /// in the same loop iteration); replies in order.
    package func pipeline(_ commands: [RedisCommand]) async throws(StoreError) -> [RedisValue] {
        try await withUnsafeContinuation { continuation in
            pipeline(commands) { continuation.resume(returning: $0) }
        }.get()
    }

    /// ``pipeline(_:)`` for callers that cannot wait: `completion` gets the replies or the failure. Called from a
    /// loop of the group, the commands are sent at once and `completion` runs on that loop, in the iteration the
    /// replies arrive in, with no task suspended or resumed on the way: the request path's form.
    package func pipeline(_ commands: [RedisCommand],
                          completion: @escaping @Sendable (Result<[RedisValue], StoreError>) -> Void)
    {
        var completion = completion
        if let observe = configuration.observe {
            let started = ContinuousClock.now
            let inner = completion
            completion = { result in
                let elapsed = started.duration(to: .now).components
                var failed = false
                if case .failure = result { failed = true }
                observe(Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18, failed)
                inner(result)
            }
        }
        if let current = EventLoop.current,
           let onLoop = connectionsByLoop.first(where: { $0.loop === current })?.connections
        {
            let connection = onLoop.count == 1 ? onLoop[0] : onLoop[nextIndex() % onLoop.count]
            connection.send(commands, completion: completion)
        } else {
            let connection = connections[nextIndex() % connections.count]
            let isTaken = connection.loop.execute { [completion] in connection.send(commands, completion: completion) }
            if !isTaken { completion(.failure(.unavailable("redis client is shut down"))) }
        }
    }

    private func nextIndex() -> Int {
        next.wrappingAdd(1, ordering: .relaxed).oldValue & Int.max
    }

    /// Runs a Lua script with `EVALSHA`, loading it with `SCRIPT LOAD` first when Redis does not know it yet (at
    /// first use, or after a restart answered `NOSCRIPT`). One round trip in the steady state.
    package func evaluate(_ script: RedisScript, keys: [[UInt8]], arguments: [[UInt8]]) async throws(StoreError)
        -> RedisValue
    {
        try await withUnsafeContinuation { continuation in
            evaluate(script, keys: keys, arguments: arguments) { continuation.resume(returning: $0) }
        }.get()
    }

    /// ``evaluate(_:keys:arguments:)`` with a completion, as ``pipeline(_:completion:)``.
    package func evaluate(_ script: RedisScript, keys: [[UInt8]], arguments: [[UInt8]],
                          completion: @escaping @Sendable (Result<RedisValue, StoreError>) -> Void)
    {
        let tail = [Array(String(keys.count).utf8)] + keys + arguments
        let evalsha = { @Sendable (sha1: [UInt8]) in RedisCommand([Self.evalshaName, sha1] + tail) }
        let load = { @Sendable [self] in
            pipeline([RedisCommand([Array("SCRIPT".utf8), Array("LOAD".utf8), Array(script.source.utf8)])]) { loaded in
                switch loaded {
                case .failure(let error):
                    completion(.failure(error))
                case .success(let replies):
                    guard let sha1 = replies.first?.bytes, !sha1.isEmpty else {
                        completion(.failure(.unavailable("redis refused to load a script: \(replies)")))
                        return
                    }
                    script.remember(sha1: sha1)
                    self.pipeline([evalsha(sha1)]) { completion($0.map { $0[0] }) }
                }
            }
        }
        guard let sha1 = script.sha1 else { return load() }
        pipeline([evalsha(sha1)]) { result in
            if case .success(let replies) = result, case .error(let message) = replies[0],
               message.hasPrefix("NOSCRIPT")
            {
                load()
            } else {
                completion(result.map { $0[0] })
            }
        }
    }

    private static let evalshaName = Array("EVALSHA".utf8)

    /// Closes every connection; commands still waiting fail.
    package func close() async {
        for connection in connections {
            await connection.loop.submit { connection.close() }
        }
        await withCheckedContinuation { continuation in
            probe.queue.async {
                self.probe.disconnect()
                continuation.resume()
            }
        }
    }
}
