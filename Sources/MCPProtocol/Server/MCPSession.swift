internal import Synchronization

/// One client's MCP session: what `initialize` negotiated, the client's choices since (log level, subscriptions),
/// and the requests running for it, which the session owns and cancels.
///
/// The transport decides where server-to-client messages go: it supplies ``notify`` routing when it creates the
/// session, so the protocol layer never touches sockets.
package final class MCPSession: Sendable {
    package let id: String
    /// Who the session belongs to: an authenticated user, or the client's address when there is none. Rate limits
    /// and cached data are per principal.
    package let principal: String
    /// The connection parameters the client chose when it opened the session (the query of the endpoint URL, such as
    /// a tool selection); servers that tailor what a session sees read them.
    package let parameters: [String: String]

    private struct State {
        var version: MCPProtocolVersion?
        var logLevel = MCPLogLevel.info
        var subscriptions: Set<String> = []
        /// Requests being worked on. An entry exists from the moment a request is accepted until it answers or is
        /// cancelled; the task is filled in once started.
        var inFlight: [JSONRPCID: InFlight] = [:]
        var isClosed = false
    }

    private struct InFlight {
        var task: Task<Void, Never>?
        /// Tells the transport the request ended without a response, so it can close what it opened for it.
        var onCancelled: @Sendable () -> Void
    }

    private let state: Mutex<State>
    private let sink: @Sendable (JSONRPCMessage) -> Void

    /// - Parameters:
    ///   - parameters: The connection parameters, as ``parameters`` describes.
    ///   - version: The negotiated version, for a session restored after `initialize`; nil for a new one.
    ///   - notify: Delivers a session-wide server-to-client message (list changes, resource updates, log messages
    ///     that belong to no request). It must not block.
    package init(id: String, principal: String = "anonymous", parameters: [String: String] = [:],
                 version: MCPProtocolVersion? = nil, notify: @escaping @Sendable (JSONRPCMessage) -> Void) {
        self.id = id
        self.principal = principal
        self.parameters = parameters
        state = Mutex(State(version: version))
        sink = notify
    }

    /// The version `initialize` settled on; nil until then.
    package var protocolVersion: MCPProtocolVersion? { state.withLock { $0.version } }

    /// Whether `initialize` has been answered, so other requests may be served.
    package var isInitialized: Bool { protocolVersion != nil }

    /// The least severe level the client wants `notifications/message` for.
    package var logLevel: MCPLogLevel { state.withLock { $0.logLevel } }

    package var subscriptions: Set<String> { state.withLock { $0.subscriptions } }

    /// Records the version `initialize` negotiated. Returns false when the session was already initialized.
    ///
    /// The client's `clientInfo` and `capabilities` are not kept: the gateway sends no requests to clients (no
    /// sampling, roots or elicitation), so nothing depends on what the client can do.
    func initialize(version: MCPProtocolVersion) -> Bool {
        state.withLock { state in
            guard state.version == nil else { return false }
            state.version = version
            return true
        }
    }

    /// Adopts a version negotiated by another replica's `initialize` for this session, if this copy has none yet.
    package func restore(version: MCPProtocolVersion) {
        state.withLock { state in
            if state.version == nil { state.version = version }
        }
    }

    func setLogLevel(_ level: MCPLogLevel) {
        state.withLock { $0.logLevel = level }
    }

    func subscribe(_ uri: String) {
        state.withLock { _ = $0.subscriptions.insert(uri) }
    }

    func unsubscribe(_ uri: String) {
        state.withLock { _ = $0.subscriptions.remove(uri) }
    }

    /// Adopts the log level and resource subscriptions another replica recorded for this session: the client's
    /// latest choices, wherever it made them.
    package func restore(logLevel: MCPLogLevel, subscriptions: Set<String>) {
        state.withLock { state in
            state.logLevel = logLevel
            state.subscriptions = subscriptions
        }
    }

    /// Sends a session-wide notification to the client.
    package func notify(_ message: JSONRPCMessage) {
        guard !state.withLock({ $0.isClosed }) else { return }
        sink(message)
    }

    /// Sends `notifications/message` if the client asked for messages of this severity.
    package func log(_ level: MCPLogLevel, logger: String, data: JSONValue) {
        guard level >= logLevel else { return }
        notify(.notification(method: "notifications/message",
                             params: ["level": .string(level.rawValue), "logger": .string(logger), "data": data]))
    }

    // MARK: - Requests in flight

    /// Runs `operation` for request `id` in a task the session owns, then hands its response to `deliver` unless the
    /// request was cancelled first, in which case nothing is sent (MCP §Cancellation) and `onCancelled` runs instead.
    ///
    /// - Parameter executor: The task's executor preference; nil runs it on the global executor.
    /// - Returns: false when a request with this id is already in flight or the session is closed; nothing runs.
    package func run(
        _ id: JSONRPCID,
        executor: (any TaskExecutor)? = nil,
        deliver: @escaping @Sendable (JSONRPCMessage) -> Void,
        onCancelled: @escaping @Sendable () -> Void = {},
        operation: @escaping @Sendable () async -> JSONRPCMessage
    ) -> Bool {
        let accepted = state.withLock { state -> Bool in
            guard !state.isClosed, state.inFlight[id] == nil else { return false }
            state.inFlight[id] = InFlight(task: nil, onCancelled: onCancelled)
            return true
        }
        guard accepted else { return false }
        let task = Task(executorPreference: executor) {
            let response = await operation()
            if self.finish(id) { deliver(response) }
        }
        let stillRunning = state.withLock { state -> Bool in
            guard state.inFlight[id] != nil else { return false }
            state.inFlight[id]?.task = task
            return true
        }
        if !stillRunning { task.cancel() }
        return true
    }

    /// Whether request `id` is still being worked on (not answered, not cancelled).
    package func isInFlight(_ id: JSONRPCID) -> Bool {
        state.withLock { $0.inFlight[id] != nil }
    }

    /// Ends request `id`; true if it was still in flight, so its response may be sent.
    private func finish(_ id: JSONRPCID) -> Bool {
        state.withLock { $0.inFlight.removeValue(forKey: id) != nil }
    }

    /// Cancels request `id` if it is in flight; its response will not be sent.
    package func cancel(_ id: JSONRPCID) {
        guard let entry = state.withLock({ $0.inFlight.removeValue(forKey: id) }) else { return }
        entry.task?.cancel()
        entry.onCancelled()
    }

    /// Ends the session: every request in flight is cancelled and nothing more is sent.
    package func close() {
        let entries = state.withLock { state -> [InFlight] in
            state.isClosed = true
            defer { state.inFlight = [:] }
            return Array(state.inFlight.values)
        }
        for entry in entries {
            entry.task?.cancel()
            entry.onCancelled()
        }
    }

    package var isClosed: Bool { state.withLock { $0.isClosed } }

    /// Requests in flight now, for tests and metrics.
    package var inFlightCount: Int { state.withLock { $0.inFlight.count } }
}
