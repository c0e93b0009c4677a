package import HTTPServer
package import Logging

/// Runs an in-process ``HTTPServer`` on a free loopback port for the duration of `body`, then shuts it down and
/// waits for it to finish draining.
package func withTestServer<T>(
    configuration: HTTPServerConfiguration = HTTPServerConfiguration(port: 0),
    handler: some HTTPHandler,
    logger: Logger = Logger(label: "test.http"),
    onDrainStart: @escaping @Sendable () -> Void = {},
    _ body: (HTTPServer, Int) async throws -> T
) async throws -> T {
    var configuration = configuration
    configuration.port = 0
    configuration.host = "127.0.0.1"
    let server = HTTPServer(configuration: configuration, handler: handler, logger: logger, onDrainStart: onDrainStart)
    let running = Task { try await server.run() }
    do {
        let port = try await server.waitUntilListening()
        let result = try await body(server, port)
        server.shutdown()
        try await running.value
        return result
    } catch {
        server.shutdown()
        running.cancel()
        _ = try? await running.value
        throw error
    }
}

/// Polls `condition` until it holds or `timeout` passes. For state with no event to await (a counter reaching zero);
/// the timeout only bounds a failing test.
package func eventually(
    timeout: Duration = .seconds(10), _ condition: @Sendable () async throws -> Bool
) async throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(5))
    }
    return try await condition()
}

/// A one-shot signal a test awaits until another task fires it.
package final class TestSignal<Value: Sendable>: Sendable {
    private let stream: AsyncStream<Value>
    private let continuation: AsyncStream<Value>.Continuation

    package init() {
        (stream, continuation) = AsyncStream.makeStream(of: Value.self, bufferingPolicy: .bufferingNewest(16))
    }

    package func fire(_ value: Value) {
        continuation.yield(value)
    }

    /// The next value fired, or nil if the signal was finished.
    package func wait() async -> Value? {
        var iterator = stream.makeAsyncIterator()
        return await iterator.next()
    }
}
