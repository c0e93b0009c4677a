internal import Cryptography
internal import HTTPServer
internal import Logging
internal import MCPProtocol

/// The Streamable HTTP transport (MCP 2025-03-26 onward) at `/mcp` and `/mcp/`: POST carries client messages and
/// gets JSON back, or an event stream when the request reports progress; GET opens the session's stream for
/// messages that belong to no request; DELETE ends the session (mcp.md §5).
struct StreamableHTTPTransport: Sendable {
    let sessions: SessionManager
    let origins: OriginPolicy
    /// Who a request's new session belongs to.
    let identify: @Sendable (HTTPRequest) -> String
    let maxJSONDepth: Int
    let logger: Logger

    var postHandler: some HTTPHandler { Handler(transport: self, method: .post) }
    var getHandler: some HTTPHandler { Handler(transport: self, method: .get) }
    var deleteHandler: some HTTPHandler { Handler(transport: self, method: .delete) }

    private static let sessionHeader = "Mcp-Session-Id"
    private static let versionHeader = "MCP-Protocol-Version"

    private struct Handler: AdmissionAwaitingHandler {
        let transport: StreamableHTTPTransport
        let method: HTTPMethod

        func handle(_ request: HTTPRequest, responder: HTTPResponder) {
            if let refusal = refusal(for: request) {
                responder.respond(refusal)
                return
            }
            switch method {
            case .post: transport.post(request, responder: responder)
            case .get: transport.openStream(request, responder: responder)
            default: transport.delete(request, responder: responder)
            }
        }

        /// A POST of one message to a session in the shared store looks the session up and counts the request in
        /// one round trip; every other request is counted first, then handled as usual.
        func handle(_ request: HTTPRequest, responder: HTTPResponder, admission: RequestAdmission) {
            guard method == .post, transport.sessions.isShared, refusal(for: request) == nil,
                  case .success(.single(let message)) = transport.postedPayload(request),
                  message.method != "initialize", let id = request.headers[StreamableHTTPTransport.sessionHeader],
                  !id.isEmpty
            else {
                responder.run {
                    if let refusal = await admission.check() {
                        responder.respond(refusal.response)
                    } else {
                        self.handle(request, responder: responder)
                    }
                }
                return
            }
            let body: @Sendable (LiveSession) -> Void = { session in
                transport.handle(message, request: request, session: session, responder: responder)
            }
            guard let local = transport.sessions.localSession(id), local.transport == .streamableHTTP else {
                transport.withSession(request, responder: responder, admission: admission, body)
                return
            }
            // A copy held here: the count goes first, and a tool call is counted against its class in the same step.
            // Its reply carries the store's session generation; a copy looked up since that generation became
            // current needs no lookup now (`SessionStore`), so the request costs one round trip, not two.
            admission.check(toolCall: transport.sessions.countedToolCall(message, on: local)) { admitted in
                if let refusal = admitted.refusal {
                    responder.respond(refusal.response)
                } else if let generation = admitted.sessionGeneration,
                          let copy = transport.sessions.validatedStreamableCopy(id, generation: generation)
                {
                    transport.serve(.success(copy), to: request, counted: admitted.toolCall, responder: responder,
                                    body)
                } else {
                    responder.run {
                        let resolved = await transport.sessions.resolve(id, transport: .streamableHTTP,
                                                                        validatingAt: admitted.sessionGeneration)
                        transport.serve(resolved, to: request, counted: admitted.toolCall, responder: responder, body)
                    }
                }
            }
        }

        private func refusal(for request: HTTPRequest) -> HTTPResponse? {
            if let refusal = transport.origins.refusal(for: request) { return refusal.response }
            // A version the client names must be one we speak; the 2026-07-28 probe gets the answer that makes the
            // official Python client fall back to initialize (mcp.md §5.9). The header is only checked, never
            // used: every request but initialize belongs to a session, whose negotiated version governs it whatever
            // the header says or whether it is there (mcp.md §5.7); initialize names its version in the body. So
            // the "2025-03-26 when absent" default has no request left to apply to.
            if let version = request.headers[StreamableHTTPTransport.versionHeader],
               MCPProtocolVersion(rawValue: version) == nil
            {
                return MCPTransportError.unsupportedProtocolVersion(version).response
            }
            return nil
        }
    }

    // MARK: - Accept

    /// `Accept` is read leniently: absent, `*/*`, `application/*` and `text/*` all count (mcp.md §7).
    private static func accepts(_ request: HTTPRequest, _ mediaType: MediaType) -> Bool {
        guard request.headers.contains("Accept") else { return true }
        return request.headers.containsListElement(matchingAnyOf: mediaType.acceptedRanges, in: "Accept",
                                                   ignoringParameters: true)
    }

    /// A media type and the `Accept` ranges that cover it.
    private struct MediaType {
        let acceptedRanges: [String]

        static let json = MediaType(acceptedRanges: ["application/json", "application/*", "*/*"])
        static let eventStream = MediaType(acceptedRanges: ["text/event-stream", "text/*", "*/*"])
    }

    // MARK: - Sessions

    /// Finds the request's session and runs `body` with it: synchronously when the store is this process's own,
    /// after a store round trip when replicas share it. Refusals (400 missing, 404 unknown, 503) are answered here.
    ///
    /// - Parameter admission: The request's count against its limit, when it is still to be awaited: it runs
    ///   alongside the store lookup, and its refusal wins over anything the lookup found.
    private func withSession(
        _ request: HTTPRequest, responder: HTTPResponder, admission: RequestAdmission? = nil,
        _ body: @escaping @Sendable (LiveSession) -> Void
    ) {
        guard let id = request.headers[Self.sessionHeader], !id.isEmpty else {
            responder.respond(MCPTransportError.missingSessionID.response)
            return
        }
        guard sessions.isShared else {
            let local = sessions.localSession(id).flatMap { $0.transport == .streamableHTTP ? $0 : nil }
            serve(local.map { .success($0) } ?? .failure(.sessionNotFound), to: request, responder: responder, body)
            return
        }
        let sessions = self.sessions
        responder.run {
            let resolved: Result<LiveSession, MCPTransportError>
            if let admission {
                async let counted = admission.check()
                resolved = await sessions.resolve(id, transport: .streamableHTTP)
                if let refusal = await counted {
                    responder.respond(refusal.response)
                    return
                }
            } else {
                resolved = await sessions.resolveStreamable(id)
            }
            self.serve(resolved, to: request, responder: responder, body)
        }
    }

    /// Runs `body` with the session found for `request`, or answers why there is none. Another user's session does
    /// not exist as far as this caller can tell (mcp.md §5.4).
    ///
    /// - Parameter counted: The tool call the request carries, counted with it; `body` then runs with it as
    ///   ``ToolCallAdmission/current``.
    private func serve(
        _ resolved: Result<LiveSession, MCPTransportError>, to request: HTTPRequest,
        counted: ToolCallAdmission? = nil, responder: HTTPResponder, _ body: @Sendable (LiveSession) -> Void
    ) {
        switch resolved {
        case .success(let session) where !session.isOwned(by: identify(request)):
            responder.respond(MCPTransportError.sessionNotFound.response)
        case .success(let session):
            session.recordActivity()
            ToolCallAdmission.$current.withValue(counted) { body(session) }
        case .failure(let error):
            responder.respond(error.response)
        }
    }

    private func json(_ body: [UInt8], session: LiveSession) -> HTTPResponse {
        .json(.ok, body, headers: [Self.sessionHeader: session.id])
    }

    // MARK: - POST

    /// The POST's messages, or the refusal of a POST the transport cannot take (406, 415, 400).
    private func postedPayload(_ request: HTTPRequest) -> Result<JSONRPCPayload, MCPTransportError> {
        guard Self.accepts(request, .json) || Self.accepts(request, .eventStream) else {
            return .failure(.notAcceptable("Client must accept application/json or text/event-stream"))
        }
        guard request.headers["Content-Type"].map(isJSONContentType) ?? false else {
            return .failure(.unsupportedMediaType)
        }
        do {
            return .success(try JSONRPCPayload.parse(bytes: request.body, maxDepth: maxJSONDepth))
        } catch {
            return .failure(.malformedMessage(error))
        }
    }

    private func post(_ request: HTTPRequest, responder: HTTPResponder) {
        let payload: JSONRPCPayload
        switch postedPayload(request) {
        case .success(let parsed): payload = parsed
        case .failure(let refusal):
            responder.respond(refusal.response)
            return
        }
        switch payload {
        case .single(.request(let id, "initialize", let params)):
            initialize(id: id, params: params, request: request, responder: responder)
        case .single(let message):
            withSession(request, responder: responder) { session in
                self.handle(message, request: request, session: session, responder: responder)
            }
        case .batch(let elements):
            withSession(request, responder: responder) { session in
                guard session.mcp.protocolVersion?.allowsBatching == true else {
                    responder.respond(MCPTransportError.batchNotAllowed.response)
                    return
                }
                self.handleBatch(elements, session: session, responder: responder)
            }
        }
    }

    /// `initialize` opens a session; a stale `Mcp-Session-Id` on it is ignored (mcp.md §5.4).
    private func initialize(id: JSONRPCID, params: JSONValue?, request: HTTPRequest, responder: HTTPResponder) {
        let session: LiveSession
        switch sessions.create(.streamableHTTP, principal: identify(request), request: request) {
        case .success(let created): session = created
        case .failure(let error):
            responder.respond(error.response)
            return
        }
        let message = JSONRPCMessage.request(id: id, method: "initialize", params: params)
        let response: JSONRPCMessage =
            if case .response(let answer) = sessions.server.handle(message, session: session.mcp) {
                answer
            } else {
                .errorResponse(id: id, error: .internalError())
            }
        guard case .response = response else {
            // A failed initialize leaves no session behind; its error is the answer.
            sessions.remove(session.id)
            responder.respond(.json(.ok, response.serialized()))
            return
        }
        let sessions = self.sessions
        responder.run {
            // Recorded before the client learns the id, so any replica can serve its next request.
            do {
                try await sessions.open(session)
            } catch {
                sessions.remove(session.id)
                responder.respond(MCPTransportError.storeUnavailable.response)
                return
            }
            responder.respond(self.json(response.serialized(), session: session))
        }
    }

    private func handle(_ message: JSONRPCMessage, request: HTTPRequest, session: LiveSession,
                        responder: HTTPResponder)
    {
        let reply = sessions.handle(message, session: session)
        guard case .request = message else {
            // Notifications and responses are accepted with 202 and no body (mcp.md §5.2).
            responder.respond(HTTPResponse(status: .accepted, headers: [Self.sessionHeader: session.id]))
            return
        }
        switch reply {
        case .none:
            responder.respond(HTTPResponse(status: .accepted, headers: [Self.sessionHeader: session.id]))
        case .response(let response):
            let answer = json(response.serialized(), session: session)
            sessions.answer(message, session: session) { responder.respond(answer) }
        case .deferred(let deferred):
            if deferred.progressToken != nil, Self.accepts(request, .eventStream) {
                stream(deferred, session: session, responder: responder)
            } else {
                answerLater(deferred, session: session, responder: responder)
            }
        }
    }

    /// Runs the request and answers the POST with JSON when it is done. Messages about it in the meantime (log
    /// lines) go to the session's GET stream.
    private func answerLater(_ deferred: MCPDeferredRequest, session: LiveSession, responder: HTTPResponder) {
        let sessionID = session.id
        let started = sessions.server.start(
            deferred, session: session.mcp, executor: responder.executor,
            emit: { session.mcp.notify($0) },
            deliver: { responder.respond(.json(.ok, $0.serialized(), headers: [Self.sessionHeader: sessionID])) },
            onCancelled: { Self.answerWithNothing(responder, session: session) })
        if !started {
            responder.respond(json(MCPServer.duplicateRequest(deferred.id).serialized(), session: session))
        }
    }

    /// Answers the POST of a cancelled request: the HTTP exchange needs a response, but the request must get no
    /// JSON-RPC message (MCP §Cancellation), and a JSON body cannot be empty. An event stream can: its head, then
    /// its end, which a client reads as "no message on this stream". MCP requires every POST to accept
    /// `text/event-stream`, so every conforming client can read it. 202 is not an option: clients fail a request
    /// answered with it (mcp.md §5.2).
    private static func answerWithNothing(_ responder: HTTPResponder, session: LiveSession) {
        responder.startStream(eventStreamHead(session))?.end()
    }

    /// Answers the POST with an event stream: progress notifications as they come, then the response.
    private func stream(_ deferred: MCPDeferredRequest, session: LiveSession, responder: HTTPResponder) {
        let streamID: String
        do {
            streamID = try SecureRandom.hexID(byteCount: 6)
        } catch {
            answerLater(deferred, session: session, responder: responder)
            return
        }
        let channel = sessions.makeChannel(session: session, streamID: streamID) {
            session.removePostChannel(streamID)
        }
        guard session.addPostChannel(channel, maxStreams: sessions.limits.maxStreamsPerSession) else {
            channel.close()
            responder.respond(MCPTransportError.tooManyStreams(limit: sessions.limits.maxStreamsPerSession).response)
            return
        }
        // A dropped connection is not a cancellation: the work goes on and the client may resume (mcp.md §5.2).
        guard let connection = responder.startStream(Self.eventStreamHead(session), onTermination: { _ in
            channel.detach()
        }) else {
            channel.close()
            session.removePostChannel(streamID)
            return
        }
        let primes = session.mcp.protocolVersion ?? .latest >= .v2025_11_25
        channel.attach(connection, after: 0, priming: primes)
        let started = sessions.server.start(
            deferred, session: session.mcp, executor: responder.executor,
            emit: { channel.send($0) },
            deliver: { channel.send($0, isFinal: true) },
            onCancelled: { channel.finish() })
        if !started {
            channel.send(MCPServer.duplicateRequest(deferred.id), isFinal: true)
        }
    }

    private static func eventStreamHead(_ session: LiveSession) -> HTTPResponseHead {
        HTTPResponseHead(status: .ok, headers: [
            "Content-Type": "text/event-stream",
            "Cache-Control": "no-cache, no-transform",
            "X-Accel-Buffering": "no",
            sessionHeader: session.id,
        ])
    }

    /// A 2025-03-26 batch: every request is answered in one JSON array, in order; notifications only get 202. A
    /// request cancelled while the batch runs has no entry; when none is left, the POST gets an empty event stream,
    /// as a lone cancelled request does.
    private func handleBatch(_ elements: [Result<JSONRPCMessage, JSONRPCDecodingError>], session: LiveSession,
                             responder: HTTPResponder)
    {
        var slots: [BatchSlot] = []
        var changesRecord = false
        for element in elements {
            switch element {
            case .failure(let error):
                slots.append(.ready(error.response))
            case .success(let message):
                changesRecord = changesRecord || sessions.changesRecord(message)
                switch sessions.handle(message, session: session) {
                case .none: break
                case .response(let response): slots.append(.ready(response))
                case .deferred(let deferred): slots.append(.pending(deferred))
                }
            }
        }
        guard !slots.isEmpty else {
            responder.respond(HTTPResponse(status: .accepted, headers: [Self.sessionHeader: session.id]))
            return
        }
        let (server, sessions) = (sessions.server, sessions)
        let (ordered, recorded) = (slots, changesRecord)
        responder.run {
            var responses: [JSONRPCMessage] = []
            for slot in ordered {
                switch slot {
                case .ready(let response):
                    responses.append(response)
                case .pending(let deferred):
                    let response: JSONRPCMessage? = await withCheckedContinuation { continuation in
                        let started = server.start(
                            deferred, session: session.mcp, executor: responder.executor,
                            emit: { session.mcp.notify($0) },
                            deliver: { continuation.resume(returning: $0) },
                            onCancelled: { continuation.resume(returning: nil) })
                        if !started { continuation.resume(returning: MCPServer.duplicateRequest(deferred.id)) }
                    }
                    if let response { responses.append(response) }
                }
            }
            let (batch, isEmpty) = (JSONRPCMessage.serializedBatch(responses), responses.isEmpty)
            let answer: @Sendable () -> Void = {
                if isEmpty {
                    Self.answerWithNothing(responder, session: session)
                } else {
                    responder.respond(self.json(batch, session: session))
                }
            }
            // As for a single request: the client's next request, anywhere, must see what the batch changed.
            if recorded { sessions.persist(session, then: answer) } else { answer() }
        }
    }

    private enum BatchSlot: Sendable {
        case ready(JSONRPCMessage)
        case pending(MCPDeferredRequest)
    }

    // MARK: - GET

    /// Opens the session's stream for server-initiated messages, or resumes a stream from `Last-Event-ID`.
    private func openStream(_ request: HTTPRequest, responder: HTTPResponder) {
        guard Self.accepts(request, .eventStream) else {
            responder.respond(MCPTransportError.notAcceptable("Client must accept text/event-stream").response)
            return
        }
        withSession(request, responder: responder) { session in
            self.openStream(request, session: session, responder: responder)
        }
    }

    private func openStream(_ request: HTTPRequest, session: LiveSession, responder: HTTPResponder) {
        let resume = request.headers["Last-Event-ID"].flatMap(EventChannel.parseEventID)
        if let resume, resume.streamID != "g" {
            resumePostStream(resume.streamID, after: resume.sequence, session: session, responder: responder)
            return
        }
        if case .failure(let error) = session.reserveGetStream(maxStreams: sessions.limits.maxStreamsPerSession) {
            responder.respond(error.response)
            return
        }
        let sessions = self.sessions
        guard let channel = session.getChannel(create: { sessions.makeChannel(session: session, streamID: "g") }) else {
            sessions.release(session.releaseGetStream(), of: session.id)
            responder.respond(MCPTransportError.sessionNotFound.response)
            return
        }
        guard sessions.isShared else {
            attachGetStream(channel, after: resume?.sequence, session: session, responder: responder)
            return
        }
        responder.run {
            // The holder before the 200: from the moment the client sees its stream, messages from every replica
            // reach it, or are in the log it replays on attach.
            guard await sessions.receiveDeliveries(for: session, into: channel) else {
                sessions.release(session.releaseGetStream(), of: session.id)
                responder.respond(MCPTransportError.storeUnavailable.response)
                return
            }
            self.attachGetStream(channel, after: resume?.sequence, session: session, responder: responder)
        }
    }

    /// Answers the GET with the event stream and makes it the channel's connection.
    private func attachGetStream(_ channel: EventChannel, after sequence: UInt64?, session: LiveSession,
                                 responder: HTTPResponder)
    {
        let sessions = self.sessions
        guard let connection = responder.startStream(Self.eventStreamHead(session), onTermination: { _ in
            sessions.release(session.releaseGetStream(), of: session.id)
        }) else {
            sessions.release(session.releaseGetStream(), of: session.id)
            return
        }
        session.attachGetConnection(connection)
        let primes = session.mcp.protocolVersion ?? .latest >= .v2025_11_25
        channel.attach(connection, after: sequence, priming: primes)
    }

    private func resumePostStream(_ streamID: String, after sequence: UInt64, session: LiveSession,
                                  responder: HTTPResponder)
    {
        if let channel = session.postChannel(streamID) {
            guard let connection = responder.startStream(Self.eventStreamHead(session), onTermination: { _ in
                channel.detach()
            }) else { return }
            channel.attach(connection, after: sequence, priming: false)
            return
        }
        // The request runs on another replica, or has finished: follow its log until the response.
        let follower = RemoteStreamFollower()
        guard let connection = responder.startStream(Self.eventStreamHead(session), onTermination: { _ in
            follower.stop()
        }) else { return }
        let (store, ttl) = (sessions.store, sessions.limits.eventLog.ttl)
        responder.run {
            await follower.run(sessionID: session.id, streamID: streamID, after: sequence, store: store, ttl: ttl,
                               to: connection)
        }
    }

    // MARK: - DELETE

    private func delete(_ request: HTTPRequest, responder: HTTPResponder) {
        let sessions = self.sessions
        withSession(request, responder: responder) { session in
            responder.run {
                do {
                    try await sessions.end(session.id)
                    responder.respond(HTTPResponse(status: .ok, headers: [Self.sessionHeader: session.id]))
                } catch {
                    responder.respond(MCPTransportError.storeUnavailable.response)
                }
            }
        }
    }
}
