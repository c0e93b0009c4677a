internal import Cryptography
internal import HTTPServer
internal import Logging
internal import MCPProtocol
internal import ServiceLifecycle
internal import Stores
internal import Synchronization

/// The sessions this replica serves, and the bookkeeping they need: limits, keep-alive comments on idle streams,
/// expiry of idle Streamable HTTP sessions, the session records in the store, and change notifications.
///
/// Lookups on the request path are local and synchronous; the store is written in the background by ``run()``,
/// which owns that work.
final class SessionManager: Service, Sendable {
    struct Limits: Sendable {
        var maxSessions: Int
        var maxStreamsPerSession: Int
        var idleTTL: Duration
        var keepAliveInterval: Duration
        var eventLog: EventChannelLimits
    }

    let server: MCPServer
    let store: any SessionStore
    let limits: Limits
    private let logger: Logger
    private let sessions = Mutex<[String: LiveSession]>([:])
    private let isShuttingDown = Atomic<Bool>(false)
    /// Store writes, done in order by ``run()`` so the request path never waits on them.
    private let storeWork: AsyncStream<@Sendable () async -> Void>.Continuation
    private let storeWorkStream: AsyncStream<@Sendable () async -> Void>

    init(server: MCPServer, store: any SessionStore, limits: Limits, logger: Logger) {
        self.server = server
        self.store = store
        self.limits = limits
        self.logger = logger
        (storeWorkStream, storeWork) = AsyncStream.makeStream(of: (@Sendable () async -> Void).self)
        server.registry.observe { [weak self] change in self?.broadcast(change) }
    }

    var count: Int { sessions.withLock { $0.count } }

    /// Opens a session, or refuses when at the cap or shutting down.
    func create(_ transport: LiveSession.Transport) -> Result<LiveSession, MCPTransportError> {
        guard !isShuttingDown.load(ordering: .relaxed) else { return .failure(.shuttingDown) }
        let id: String
        do {
            id = try SecureRandom.hexID()
        } catch {
            logger.error("no random bytes for a session id", metadata: ["error": "\(error)"])
            return .failure(.storeUnavailable)
        }
        let mcp = MCPSession(id: id) { [weak self] message in self?.route(message, toSession: id) }
        let session = LiveSession(id: id, transport: transport, mcp: mcp)
        let admitted = sessions.withLock { sessions -> Bool in
            guard sessions.count < limits.maxSessions else { return false }
            sessions[id] = session
            return true
        }
        guard admitted else { return .failure(.tooManySessions(limit: limits.maxSessions)) }
        persist(session)
        return .success(session)
    }

    func session(_ id: String) -> LiveSession? {
        sessions.withLock { $0[id] }
    }

    /// Ends a session and forgets it, here and in the store.
    func remove(_ id: String) {
        guard let session = sessions.withLock({ $0.removeValue(forKey: id) }) else { return }
        session.close()
        let store = self.store
        storeWork.yield { try? await store.deleteSession(id) }
    }

    /// Writes the session's record (transport and negotiated version) to the store.
    func persist(_ session: LiveSession) {
        var record: JSONObject = ["transport": .string(session.transport.rawValue)]
        if let version = session.mcp.protocolVersion { record["protocolVersion"] = .string(version.rawValue) }
        let bytes = JSONValue.object(record).serialized()
        let (store, ttl, id) = (self.store, limits.idleTTL, session.id)
        storeWork.yield { try? await store.putSession(id, record: bytes, ttl: ttl) }
    }

    /// Sends a session-wide message where the session's transport wants it.
    private func route(_ message: JSONRPCMessage, toSession id: String) {
        guard let session = session(id) else { return }
        switch session.transport {
        case .legacySSE:
            session.sendOnLegacyStream(message)
        case .streamableHTTP:
            session.getChannel { makeChannel(session: session, streamID: "g") }?.send(message)
        }
    }

    func makeChannel(session: LiveSession, streamID: String, onFinished: @escaping @Sendable () -> Void = {})
        -> EventChannel
    {
        EventChannel(sessionID: session.id, streamID: streamID, store: store, limits: limits.eventLog, logger: logger,
                     onFinished: onFinished)
    }

    /// Tells every session that a list changed (MCP §Tools, §Resources, §Prompts: `list_changed`).
    private func broadcast(_ change: MCPRegistry.Change) {
        let method =
            switch change {
            case .tools: "notifications/tools/list_changed"
            case .resources: "notifications/resources/list_changed"
            case .prompts: "notifications/prompts/list_changed"
            }
        for session in sessions.withLock({ Array($0.values) }) where session.mcp.isInitialized {
            session.mcp.notify(.notification(method: method, params: nil))
        }
    }

    /// Sends `notifications/resources/updated` to every session subscribed to `uri`.
    func resourceUpdated(_ uri: String) {
        for session in sessions.withLock({ Array($0.values) }) where session.mcp.subscriptions.contains(uri) {
            session.mcp.notify(.notification(method: "notifications/resources/updated", params: ["uri": .string(uri)]))
        }
    }

    // MARK: - Service

    /// Runs the store writes and, every keep-alive interval, the sweep: comments on open streams, expiry of idle
    /// Streamable HTTP sessions, refreshed store TTLs. Returns at shutdown, after closing every session.
    func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await work in self.storeWorkStream { await work() }
                }
                group.addTask {
                    while !Task.isCancelled {
                        do {
                            try await Task.sleep(for: self.limits.keepAliveInterval)
                        } catch {
                            return
                        }
                        await self.sweep()
                    }
                }
                // Cancellation (another service failed) ends the manager as graceful shutdown does.
                await withTaskCancellationHandler {
                    await self.waitForShutdown()
                } onCancel: {
                    self.beginShutdown()
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.beginShutdown()
        }
    }

    private let shutdownWaiters = Mutex<[CheckedContinuation<Void, Never>]?>([])

    private func waitForShutdown() async {
        await withCheckedContinuation { continuation in
            let hasBegun = shutdownWaiters.withLock { waiters -> Bool in
                guard waiters != nil else { return true }
                waiters!.append(continuation)
                return false
            }
            if hasBegun { continuation.resume() }
        }
    }

    /// Refuses new sessions and ends the store-work stream once what is queued has run.
    private func beginShutdown() {
        isShuttingDown.store(true, ordering: .relaxed)
        storeWork.finish()
        let waiters = shutdownWaiters.withLock { waiters in
            defer { waiters = nil }
            return waiters ?? []
        }
        waiters.forEach { $0.resume() }
    }

    private func sweep() async {
        let all = sessions.withLock { Array($0.values) }
        let comment = ServerSentEvent.comment("keep-alive")
        let idleLimit = limits.idleTTL.nanoseconds
        var active: [String] = []
        for session in all {
            for connection in session.openConnections { connection.write(comment) }
            if session.transport == .streamableHTTP, !session.hasOpenStream, session.idleNanoseconds > idleLimit {
                remove(session.id)
                logger.debug("session expired", metadata: ["mcp.session": "\(session.id.prefix(8))"])
            } else {
                active.append(session.id)
            }
        }
        for id in active { _ = try? await store.touchSession(id, ttl: limits.idleTTL) }
        await store.sweepExpired()
    }
}
