internal import HTTPServer
internal import Logging
internal import MCPProtocol

/// The HTTP+SSE transport of MCP 2024-11-05: `GET /sse` opens a session and its stream, whose first event names the
/// POST endpoint; `POST /messages?sessionId=…` accepts each client message with 202 and the answer travels on the
/// stream (mcp.md §4).
struct LegacySSETransport: Sendable {
    let sessions: SessionManager
    let origins: OriginPolicy
    /// Who a request's new session belongs to.
    let identify: @Sendable (HTTPRequest) -> String
    /// The path the endpoint event names, with `PUBLIC_URL`'s path prefix, since clients resolve it against the
    /// origin root (python-sdk #242).
    let messagesPath: String
    let maxJSONDepth: Int
    let logger: Logger

    /// `GET /sse`.
    var streamHandler: some HTTPHandler { StreamHandler(transport: self) }
    /// `POST /messages`.
    var messageHandler: some HTTPHandler { MessageHandler(transport: self) }

    private struct StreamHandler: HTTPHandler {
        let transport: LegacySSETransport

        func handle(_ request: HTTPRequest, responder: HTTPResponder) {
            if let refusal = transport.origins.refusal(for: request) {
                responder.respond(refusal.response)
                return
            }
            let session: LiveSession
            switch transport.sessions.create(.legacySSE, principal: transport.identify(request), request: request) {
            case .success(let created): session = created
            case .failure(let error):
                responder.respond(error.response)
                return
            }
            let sessions = transport.sessions
            let messagesPath = transport.messagesPath
            responder.run {
                // Recorded (and, with Redis, reachable from every replica) before the client learns the id.
                do {
                    try await sessions.open(session)
                } catch {
                    sessions.remove(session.id)
                    responder.respond(MCPTransportError.storeUnavailable.response)
                    return
                }
                let head = HTTPResponseHead(status: .ok, headers: [
                    "Content-Type": "text/event-stream",
                    "Cache-Control": "no-cache, no-transform",
                    // nginx would otherwise buffer the stream and hold every event back.
                    "X-Accel-Buffering": "no",
                ])
                // Closing the stream ends the session and cancels its work (mcp.md §4.1).
                guard let stream = responder.startStream(head, onTermination: { _ in sessions.remove(session.id) })
                else {
                    sessions.remove(session.id)
                    return
                }
                session.attachLegacyStream(stream)
                stream.send(ServerSentEvent(event: "endpoint", data: "\(messagesPath)?sessionId=\(session.id)"))
            }
        }
    }

    private struct MessageHandler: AdmissionAwaitingHandler {
        let transport: LegacySSETransport

        /// A message to a session held and initialized here is counted, with the tool call it carries if any,
        /// in one step, and handed over already parsed; every other POST is counted first, then handled as usual.
        func handle(_ request: HTTPRequest, responder: HTTPResponder, admission: RequestAdmission) {
            if transport.origins.refusal(for: request) == nil, let id = Self.sessionID(of: request),
               let session = transport.sessions.localSession(id), session.transport == .legacySSE,
               session.mcp.isInitialized, session.isOwned(by: transport.identify(request)),
               request.headers["Content-Type"].map(isJSONContentType) ?? false,
               let message = try? JSONRPCMessage.parse(bytes: request.body, maxDepth: transport.maxJSONDepth)
            {
                let transport = self.transport
                admission.check(toolCall: transport.sessions.countedToolCall(message, on: session)) { admitted in
                    if let refusal = admitted.refusal {
                        responder.respond(refusal.response)
                        return
                    }
                    ToolCallAdmission.$current.withValue(admitted.toolCall) {
                        transport.accept(request, for: session, parsed: .single(message), responder: responder)
                    }
                }
                return
            }
            responder.run {
                if let refusal = await admission.check() {
                    responder.respond(refusal.response)
                } else {
                    self.handle(request, responder: responder)
                }
            }
        }

        /// Both spellings are in use: the TypeScript SDK's sessionId and the Python SDK's session_id.
        private static func sessionID(of request: HTTPRequest) -> String? {
            guard let id = request.queryParameter("sessionId") ?? request.queryParameter("session_id"), !id.isEmpty
            else { return nil }
            return id
        }

        func handle(_ request: HTTPRequest, responder: HTTPResponder) {
            if let refusal = transport.origins.refusal(for: request) {
                responder.respond(refusal.response)
                return
            }
            guard let id = Self.sessionID(of: request) else {
                responder.respond(MCPTransportError.missingSessionID.response)
                return
            }
            // The replica holding the stream answers at once; any other finds the session in the shared store. So
            // does the holder until it has seen the session initialized, which may happen on another replica.
            if let session = transport.sessions.localSession(id), session.transport == .legacySSE,
               session.mcp.isInitialized || !transport.sessions.isShared
            {
                transport.accept(request, for: session, responder: responder)
            } else if transport.sessions.isShared {
                let transport = self.transport
                responder.run {
                    switch await transport.sessions.resolve(id, transport: .legacySSE) {
                    case .success(let session): transport.accept(request, for: session, responder: responder)
                    case .failure(let error): responder.respond(error.response)
                    }
                }
            } else {
                responder.respond(MCPTransportError.sessionNotFound.response)
            }
        }
    }

    /// Parses the posted message, answers 202, and runs it; its answer goes on the session's stream.
    ///
    /// - Parameter parsed: The message, when the caller has already parsed it (and checked what precedes parsing).
    private func accept(_ request: HTTPRequest, for session: LiveSession, parsed: JSONRPCPayload? = nil,
                        responder: HTTPResponder) {
        // Another user's session does not exist as far as this caller can tell (mcp.md §5.4).
        guard session.isOwned(by: identify(request)) else {
            responder.respond(MCPTransportError.sessionNotFound.response)
            return
        }
        guard request.headers["Content-Type"].map(isJSONContentType) ?? false else {
            responder.respond(MCPTransportError.unsupportedMediaType.response)
            return
        }
        let payload: JSONRPCPayload
        do throws(JSONRPCDecodingError) {
            if let parsed {
                payload = parsed
            } else if session.mcp.protocolVersion?.allowsBatching == true {
                payload = try JSONRPCPayload.parse(bytes: request.body, maxDepth: maxJSONDepth)
            } else {
                payload = .single(try JSONRPCMessage.parse(bytes: request.body, maxDepth: maxJSONDepth))
            }
        } catch {
            responder.respond(MCPTransportError.malformedMessage(error).response)
            return
        }
        // An element whose id cannot be read could only be answered with id null, and id-less errors never go on
        // an SSE stream (mcp.md §1): the POST's own response is the one place left for it, so the whole batch is
        // refused before any of it runs.
        if case .batch(let elements) = payload {
            for case .failure(let unanswerable) in elements where unanswerable.id == nil {
                responder.respond(MCPTransportError.malformedMessage(unanswerable).response)
                return
            }
        }
        // Accepted: 202 at once, before the work; the answer goes on the stream. Never 4xx an accepted POST
        // (mcp.md §4.5).
        responder.respond(HTTPResponse(status: .accepted, headers: ["Content-Type": "text/plain"],
                                       body: Array("Accepted".utf8)))
        session.recordActivity()
        switch payload {
        case .single(let message):
            dispatch(message, session: session, executor: responder.executor)
        case .batch(let elements):
            for element in elements {
                switch element {
                case .success(let message): dispatch(message, session: session, executor: responder.executor)
                // Its id was read (the check above), so the error reaches the request it answers.
                case .failure(let error): session.sendOnLegacyStream(error.response)
                }
            }
        }
    }

    /// - Parameter executor: Where deferred work runs: the event loop of the POST that carried the message.
    private func dispatch(_ message: JSONRPCMessage, session: LiveSession, executor: any TaskExecutor) {
        let wasInitialized = session.mcp.isInitialized
        switch sessions.handle(message, session: session) {
        case .none:
            break
        case .response(let response):
            if !wasInitialized, session.mcp.isInitialized {
                // The negotiated version is recorded before the client, seeing the result, posts elsewhere.
                sessions.persist(session) { session.sendOnLegacyStream(response) }
            } else {
                sessions.answer(message, session: session) { session.sendOnLegacyStream(response) }
            }
        case .deferred(let deferred):
            let send: @Sendable (JSONRPCMessage) -> Void = { session.sendOnLegacyStream($0) }
            if !sessions.server.start(deferred, session: session.mcp, executor: executor, emit: send, deliver: send) {
                send(MCPServer.duplicateRequest(deferred.id))
            }
        }
    }
}

/// Whether a `Content-Type` value is JSON, ignoring parameters such as `charset`.
func isJSONContentType(_ value: String) -> Bool {
    let end = value.utf8.firstIndex(of: UInt8(ascii: ";")) ?? value.utf8.endIndex
    return value[..<end].trimmingHTTPWhitespace().equalsIgnoringASCIICase("application/json")
}
