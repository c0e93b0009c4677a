internal import Cryptography
internal import EventLoops
internal import HTTPServer
internal import Logging
internal import MCPProtocol
internal import ServiceLifecycle
internal import Stores
internal import Synchronization

/// The sessions this replica serves, and the bookkeeping they need: limits, keep-alive comments on idle streams,
/// expiry of idle sessions, the session records in the store, delivery between replicas, and change notifications.
///
/// With a store of its own (in memory), every lookup on the request path is local and synchronous. With a shared
/// store (Redis), a session may be served by any replica:
/// - an HTTP+SSE session lives where its stream is; any other replica that receives a post for it reads its record,
///   runs the message, and publishes the answer to the holder through the store;
/// - a Streamable HTTP session has no home: each replica that serves it keeps a local copy and sends session-wide
///   messages through the store to whichever replica holds its GET stream. The copy is looked up in the store
///   (the session checked, its TTLs refreshed and its record read, in one round trip) unless the store's session
///   generation, read with the request's rate-limit count or alone, shows nothing changed since its last lookup,
///   made less than a quarter of the idle TTL ago (``validatedStreamableCopy(_:generation:)``).
///
/// The client's choices (log level, resource subscriptions) live in the session's record, written before the
/// request that changed them is answered and broadcast to the other replicas' copies. A `notifications/cancelled`
/// for a request that does not run here is broadcast too, and the replica running it cancels it.
final class SessionManager: Service, Sendable {
    struct Limits: Sendable {
        var maxSessions: Int
        var maxStreamsPerSession: Int
        var idleTTL: Duration
        var keepAliveInterval: Duration
        var eventLog: EventChannelLimits

        /// An HTTP+SSE session's record lives only while its holder refreshes it, so a replica that died stops
        /// answering for its sessions within this time.
        var streamHolderTTL: Duration { max(keepAliveInterval * 3, .seconds(10)) }
    }

    let server: MCPServer
    let store: any SessionStore
    let limits: Limits
    /// Reads the connection parameters a session-opening request asks for (the endpoint URL's query), or refuses.
    private let sessionParameters: @Sendable (HTTPRequest) -> Result<[String: String], MCPTransportError>
    private let logger: Logger
    private let sessions = Mutex<[String: LiveSession]>([:])
    /// Copies of HTTP+SSE sessions held by other replicas, kept while requests run here for them, so a cancellation
    /// finds them.
    private let remoteCopies = Mutex<[String: LiveSession]>([:])
    private let isShuttingDown = Atomic<Bool>(false)
    /// Store writes and cross-replica sends, done in order per session by ``run()`` so the request path never waits
    /// on them.
    private let storeWork = StoreWorkLanes()

    init(server: MCPServer, store: any SessionStore, limits: Limits,
         sessionParameters: @escaping @Sendable (HTTPRequest) -> Result<[String: String], MCPTransportError> = { _ in
             .success([:])
         },
         logger: Logger) {
        self.server = server
        self.store = store
        self.limits = limits
        self.sessionParameters = sessionParameters
        self.logger = logger
        server.registry.observe { [weak self] change in self?.broadcast(change) }
        store.observe(broadcasts: { [weak self] id, message in self?.receiveBroadcast(message, session: id) },
                      restarts: { [weak self] in self?.reassert() })
    }

    var count: Int { sessions.withLock { $0.count } }

    /// Event streams (HTTP+SSE and Streamable GET streams) open on this replica now, for metrics.
    var openStreamCount: Int {
        sessions.withLock { Array($0.values) }.reduce(0) { $0 + $1.openConnections.count }
    }

    // MARK: - Opening and finding sessions

    /// Opens a session here for the request that asks for it, or refuses when its parameters cannot be served, at
    /// the cap or shutting down. The caller records it with ``open(_:)`` before telling the client its id.
    func create(
        _ transport: LiveSession.Transport, principal: String, request: HTTPRequest
    ) -> Result<LiveSession, MCPTransportError> {
        guard !isShuttingDown.load(ordering: .relaxed) else { return .failure(.shuttingDown) }
        let parameters: [String: String]
        switch sessionParameters(request) {
        case .success(let read): parameters = read
        case .failure(let refusal): return .failure(refusal)
        }
        let id: String
        do {
            id = try SecureRandom.hexID()
        } catch {
            logger.error("no random bytes for a session id", metadata: ["error": "\(error)"])
            return .failure(.storeUnavailable)
        }
        return admit(makeSession(id: id, transport: transport, principal: principal, parameters: parameters,
                                 version: nil))
    }

    private func makeSession(
        id: String, transport: LiveSession.Transport, principal: String, parameters: [String: String],
        version: MCPProtocolVersion?
    ) -> LiveSession {
        let mcp = MCPSession(id: id, principal: principal, parameters: parameters, version: version) {
            [weak self] message in
            self?.route(message, toSession: id)
        }
        return LiveSession(id: id, transport: transport, mcp: mcp)
    }

    private func admit(_ session: LiveSession) -> Result<LiveSession, MCPTransportError> {
        let admitted = sessions.withLock { sessions -> Bool in
            guard sessions.count < limits.maxSessions else { return false }
            sessions[session.id] = session
            return true
        }
        return admitted ? .success(session) : .failure(.tooManySessions(limit: limits.maxSessions))
    }

    /// Records a new session in the store and, for HTTP+SSE, makes this replica the holder its messages are
    /// delivered to. Awaited before the client learns the id, so every replica can find the session at once.
    func open(_ session: LiveSession) async throws(StoreError) {
        try await store.putSession(session.id, record: SessionRecord(of: session).bytes, ttl: ttl(for: session))
        guard session.transport == .legacySSE else { return }
        let subscription = try await store.subscribe(session: session.id) { [weak session] message in
            session?.writeOnLegacyStream(serialized: message)
        }
        session.hold(subscription)
    }

    /// The session if this replica holds it now; the synchronous fast path.
    func localSession(_ id: String) -> LiveSession? {
        sessions.withLock { $0[id] }
    }

    /// Whether requests for sessions may need the store: true when other replicas share it.
    var isShared: Bool { store.isShared }

    /// The tool call `message` makes on `session`, to count with the request that carries it; nil when it is not
    /// one that will reach the tool gate (``MCPServer/toolCallPreflight(_:session:)``).
    func countedToolCall(_ message: JSONRPCMessage, on session: LiveSession) -> RateLimitPolicy.ToolCall? {
        server.toolCallPreflight(message, session: session.mcp)
            .map { RateLimitPolicy.ToolCall($0, principal: session.mcp.principal) }
    }

    /// This replica's copy of Streamable HTTP session `id`, when it was looked up in the shared store at session
    /// generation `generation` (read just now, with the request's rate-limit check or alone) and recently enough
    /// that the store's TTLs need no refresh yet: the session exists with the record the copy has, and no lookup is
    /// needed.
    func validatedStreamableCopy(_ id: String, generation: UInt64) -> LiveSession? {
        guard let copy = localSession(id), copy.transport == .streamableHTTP,
              copy.isValidated(at: generation, maximumAge: validationMaximumAge)
        else { return nil }
        return copy
    }

    /// A quarter of the idle TTL: a session in use keeps its record, holder and event logs alive in the store with
    /// a lookup at least this often, long before they could expire.
    private var validationMaximumAge: UInt64 { limits.idleTTL.nanoseconds / 4 }

    /// Finds a Streamable HTTP session for a request that made no rate-limit check: a copy held here is checked
    /// against the session generation read alone, a plain read far cheaper for the store than a lookup, and looked
    /// up only when that changed or the copy's last lookup is a quarter of the idle TTL old.
    func resolveStreamable(_ id: String) async -> Result<LiveSession, MCPTransportError> {
        guard store.isShared, localSession(id)?.transport == .streamableHTTP else {
            return await resolve(id, transport: .streamableHTTP)
        }
        // When the read fails, so will the lookup, which reports the outage.
        guard let generation = try? await store.sessionGeneration() else {
            return await resolve(id, transport: .streamableHTTP)
        }
        if let copy = validatedStreamableCopy(id, generation: generation) { return .success(copy) }
        return await resolve(id, transport: .streamableHTTP, validatingAt: generation)
    }

    /// Finds a session of `transport` on any replica.
    ///
    /// - Parameter generation: For a Streamable HTTP session, the store's session generation read before this
    ///   call (with the request's rate-limit check or alone): the copy found is marked validated at it
    ///   (``validatedStreamableCopy(_:generation:)``).
    /// - Returns: ``MCPTransportError/sessionNotFound`` for an unknown or expired session,
    ///   ``MCPTransportError/storeUnavailable`` when the store cannot answer.
    func resolve(_ id: String, transport: LiveSession.Transport, validatingAt generation: UInt64? = nil) async
        -> Result<LiveSession, MCPTransportError>
    {
        do throws(StoreError) {
            switch transport {
            case .legacySSE:
                let local = localSession(id).flatMap { $0.transport == .legacySSE ? $0 : nil }
                if let local, local.mcp.isInitialized || !store.isShared { return .success(local) }
                guard store.isShared, let bytes = try await store.session(id),
                      let record = SessionRecord(bytes), record.transport == .legacySSE
                else { return local.map { .success($0) } ?? .failure(.sessionNotFound) }
                // Another replica may have answered this session's initialize, or changed its log level.
                let copy = local ?? remoteLegacySession(id: id, record: record)
                record.apply(to: copy)
                return .success(copy)
            case .streamableHTTP:
                guard store.isShared else {
                    guard let local = localSession(id), local.transport == .streamableHTTP else {
                        return .failure(.sessionNotFound)
                    }
                    return .success(local)
                }
                // One round trip checks that the session still exists (it may have been deleted or expired on
                // another replica), keeps it alive, and reads what other replicas recorded of it.
                guard let bytes = try await store.touchSession(id, ttl: limits.idleTTL) else {
                    forget(id)
                    return .failure(.sessionNotFound)
                }
                let found = streamableCopy(id, record: bytes)
                if let generation, case .success(let copy) = found { copy.markValidated(at: generation) }
                return found
            }
        } catch {
            logger.warning("session store unavailable", metadata: ["error": "\(error)"])
            return .failure(.storeUnavailable)
        }
    }

    /// This replica's copy of a Streamable HTTP session, brought up to `bytes`, the record just read from the store;
    /// adopted when there is none yet.
    private func streamableCopy(_ id: String, record bytes: [UInt8]) -> Result<LiveSession, MCPTransportError> {
        // The record this copy was last brought up to: nothing to parse or apply.
        if let copy = localSession(id), copy.transport == .streamableHTTP, copy.hasApplied(record: bytes) {
            return .success(copy)
        }
        guard let record = SessionRecord(bytes), record.transport == .streamableHTTP else {
            return .failure(.sessionNotFound)
        }
        // Another request may have adopted it meanwhile; keep the first copy.
        if let copy = localSession(id).flatMap({ $0.transport == .streamableHTTP ? $0 : nil }) {
            record.apply(to: copy)
            copy.recordApplied(bytes)
            return .success(copy)
        }
        let adopted = makeSession(id: id, transport: .streamableHTTP, principal: record.principal,
                                  parameters: record.parameters, version: record.version)
        record.apply(to: adopted)
        adopted.recordApplied(bytes)
        return admit(adopted)
    }

    /// An HTTP+SSE session held by another replica, served here for posts: its answers are published to the
    /// holder through the store, in order. The copy is kept while requests run for it (the sweep drops idle ones).
    private func remoteLegacySession(id: String, record: SessionRecord) -> LiveSession {
        remoteCopies.withLock { copies in
            if let copy = copies[id] { return copy }
            let mcp = MCPSession(id: id, principal: record.principal, parameters: record.parameters,
                                 version: record.version) { [weak self] message in
                self?.publish(message, to: id)
            }
            let session = LiveSession(id: id, transport: .legacySSE, mcp: mcp) { [weak self] message in
                self?.publish(message, to: id)
            }
            copies[id] = session
            return session
        }
    }

    /// Sends a message to the replica holding the session, after every store write queued before it.
    private func publish(_ message: JSONRPCMessage, to id: String) {
        let (store, logger) = (self.store, self.logger)
        let bytes = message.serialized()
        storeWork.enqueue(for: id) {
            do throws(StoreError) {
                if try await !store.publish(session: id, message: bytes) {
                    logger.debug("no replica holds the session any more", metadata: ["mcp.session": "\(id.prefix(8))"])
                }
            } catch {
                logger.warning("cannot deliver to another replica", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Ends a session and forgets it, here and in the store.
    func remove(_ id: String) {
        guard let session = sessions.withLock({ $0.removeValue(forKey: id) }) else { return }
        let subscription = session.close()
        let store = self.store
        storeWork.enqueue(for: id) {
            await subscription?.cancel()
            try? await store.deleteSession(id)
        }
    }

    /// Ends a session at the client's request (`DELETE`): once this returns, no replica serves it any more.
    func end(_ id: String) async throws(StoreError) {
        let session = sessions.withLock { $0.removeValue(forKey: id) }
        let subscription = session?.close()
        await subscription?.cancel()
        try await store.deleteSession(id)
    }

    /// Drops this replica's copy of a session without touching the shared record.
    private func forget(_ id: String) {
        release(sessions.withLock { $0.removeValue(forKey: id) }?.close(), of: id)
    }

    /// Cancels a delivery registration of session `id`, in order with the session's other store work.
    func release(_ subscription: (any SessionSubscription)?, of id: String) {
        guard let subscription else { return }
        storeWork.enqueue(for: id) { await subscription.cancel() }
    }

    /// Writes the session's record (transport, negotiated version, the client's choices), tells the other
    /// replicas' copies, then runs `then`; for answers that must not reach the client before another replica could
    /// see the new state (the `initialize` result, a new log level).
    func persist(_ session: LiveSession, then: @escaping @Sendable () -> Void = {}) {
        let (store, record, ttl, id) = (self.store, SessionRecord(of: session).bytes, ttl(for: session), session.id)
        storeWork.enqueue(for: id) {
            try? await store.putSession(id, record: record, ttl: ttl)
            try? await store.broadcast(session: id, message: SharedState.record(record).bytes)
            then()
        }
    }

    // MARK: - State shared between replicas

    /// Answers one client message for `session`, as ``MCPServer/handle(_:session:)`` does; with a shared store, a
    /// cancellation of a request that does not run here first goes to every replica, to reach the one running it.
    func handle(_ message: JSONRPCMessage, session: LiveSession) -> MCPReply {
        if store.isShared, case .notification("notifications/cancelled", let params) = message,
           let requestID = params?["requestId"].flatMap(JSONRPCID.init), !session.mcp.isInFlight(requestID)
        {
            let (store, logger, id) = (self.store, self.logger, session.id)
            storeWork.enqueue(for: id) {
                do throws(StoreError) {
                    try await store.broadcast(session: id, message: SharedState.cancel(requestID).bytes)
                } catch {
                    logger.warning("cannot pass a cancellation to other replicas", metadata: ["error": "\(error)"])
                }
            }
        }
        return server.handle(message, session: session.mcp)
    }

    /// Sends the answer to `message` with `send`: at once, or, when the request changed what the session's record
    /// holds and replicas share the store, once the record is written, so the client's next request sees the
    /// change whichever replica serves it.
    func answer(_ message: JSONRPCMessage, session: LiveSession, with send: @escaping @Sendable () -> Void) {
        if changesRecord(message) { persist(session, then: send) } else { send() }
    }

    /// Whether answering `message` must wait for the session's record to be written (see ``answer(_:session:with:)``).
    func changesRecord(_ message: JSONRPCMessage) -> Bool {
        guard store.isShared, case .request(_, let method, _) = message else { return false }
        return Self.recordedMethods.contains(method)
    }

    /// The requests whose effect is part of the session's record.
    private static let recordedMethods: Set<String> = ["logging/setLevel", "resources/subscribe",
                                                       "resources/unsubscribe"]

    /// A broadcast from any replica (this one included) about a session a copy of which may be served here.
    private func receiveBroadcast(_ message: [UInt8], session id: String) {
        let copies = [localSession(id), remoteCopies.withLock { $0[id] }].compactMap { $0 }
        guard !copies.isEmpty, let state = SharedState(message) else { return }
        for copy in copies {
            switch state {
            case .record(let bytes): SessionRecord(bytes)?.apply(to: copy)
            case .cancel(let requestID): copy.mcp.cancel(requestID)
            }
        }
    }

    /// The store lost its state (Redis restarted without persistence): writes back the record of every session
    /// served here, and the store its holder keys, so posts on other replicas and Streamable HTTP requests find
    /// them again. Event logs are not restored; they were the store's alone.
    private func reassert() {
        let (store, logger) = (self.store, self.logger)
        // Every session's, so on no one session's lane; the writes are of what is held now, so order does not matter.
        storeWork.enqueue(for: "") { [weak self] in
            guard let self else { return }
            let claims = sessions.withLock { Array($0.values) }.filter { !$0.mcp.isClosed }.map {
                SessionClaim(id: $0.id, record: SessionRecord(of: $0).bytes, ttl: ttl(for: $0))
            }
            do throws(StoreError) {
                try await store.reassert(claims)
                logger.notice("session store state written back", metadata: ["mcp.sessions": "\(claims.count)"])
            } catch {
                logger.warning("cannot write session store state back", metadata: ["error": "\(error)"])
            }
        }
    }

    private func ttl(for session: LiveSession) -> Duration {
        session.transport == .legacySSE ? limits.streamHolderTTL : limits.idleTTL
    }

    // MARK: - Server-to-client messages

    /// Sends a session-wide message where the session's transport wants it.
    private func route(_ message: JSONRPCMessage, toSession id: String) {
        guard let session = localSession(id) else { return }
        switch session.transport {
        case .legacySSE:
            session.sendOnLegacyStream(message)
        case .streamableHTTP:
            if store.isShared, !session.hasGetConnection {
                publishToGetStream(message, session: id)
            } else {
                session.getChannel { makeChannel(session: session, streamID: "g") }?.send(message)
            }
        }
    }

    /// A session-wide message for a Streamable HTTP session whose GET stream is elsewhere or nowhere: published to
    /// the replica holding it, or, when none does, logged for the client's next GET stream, in one step.
    private func publishToGetStream(_ message: JSONRPCMessage, session id: String) {
        let (store, limits, logger) = (self.store, self.limits, self.logger)
        let bytes = message.serialized()
        storeWork.enqueue(for: id) {
            do throws(StoreError) {
                _ = try await store.publishOrAppend(session: id, message: bytes, stream: "\(id)/g",
                                                    limit: limits.eventLog.maxEvents, ttl: limits.eventLog.ttl)
            } catch {
                logger.warning("cannot deliver to another replica", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Makes this replica the holder of the session's GET stream, feeding `channel`, until the stream's
    /// registration is released; false when the store cannot take the registration.
    func receiveDeliveries(for session: LiveSession, into channel: EventChannel) async -> Bool {
        do throws(StoreError) {
            let subscription = try await store.subscribe(session: session.id) { message in
                channel.send(serialized: message)
            }
            session.hold(subscription)
            return true
        } catch {
            logger.warning("cannot receive messages from other replicas", metadata: ["error": "\(error)"])
            return false
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

    /// Sends `notifications/tools/list_changed` to the sessions here that `affected` picks: their own tools changed
    /// (a scenario became a tool), not the registry's.
    func toolsChanged(where affected: @Sendable (MCPSession) -> Bool) {
        for session in sessions.withLock({ Array($0.values) }) where session.mcp.isInitialized && affected(session.mcp) {
            session.mcp.notify(.notification(method: "notifications/tools/list_changed", params: nil))
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
    /// sessions, refreshed store TTLs. At shutdown the queued store writes still run before it returns.
    func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    await self.storeWork.run()
                }
                await withTaskGroup(of: Void.self) { sweeper in
                    sweeper.addTask {
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
                    sweeper.cancelAll()
                }
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
        var held: [LiveSession] = []
        for session in all {
            for connection in session.openConnections { connection.write(comment) }
            // A long tool call answered on its POST's event stream is as quiet as an idle GET stream.
            for channel in session.postStreamChannels { channel.keepAlive(comment) }
            if session.transport == .streamableHTTP, !session.hasOpenStream, session.idleNanoseconds > idleLimit {
                // With a shared store another replica may still be serving it: only this copy goes.
                if store.isShared { forget(session.id) } else { remove(session.id) }
                logger.debug("session expired", metadata: ["mcp.session": "\(session.id.prefix(8))"])
            } else if session.transport == .legacySSE || session.hasOpenStream || !store.isShared {
                held.append(session)
            }
        }
        // Copies of sessions held elsewhere are needed only while requests run here for them.
        remoteCopies.withLock { copies in copies = copies.filter { $0.value.mcp.inFlightCount > 0 } }
        // Sessions whose streams are here stay alive in the store while they are open. With a store of this
        // process's own, requests are served without it, so a session still alive here after the expiry above is
        // the record of its own activity: refreshed just before the store's expiry below, its record and event
        // logs last as long as the session, at no store call per request. (A shared store is touched by the
        // lookups of ``resolve(_:transport:validatingAt:)``, at least every quarter of the idle TTL while a session
        // is in use.)
        for session in held { _ = try? await store.touchSession(session.id, ttl: ttl(for: session)) }
        await store.sweepExpired()
    }
}
