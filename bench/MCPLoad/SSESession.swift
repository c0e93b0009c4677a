/// One HTTP+SSE (2024-11-05) session: `GET /sse` on its own connection, the `endpoint` event, then every message
/// POSTed on a second keep-alive connection (answered 202) with its answer arriving as a `message` event on the
/// stream. A step is done when both the 202 and (for requests) the matching event are in, whichever comes first.
/// With `--post-url` the POST connection goes to that server (another replica) instead of the stream's.
final class SSESession: MCPSession {
    private enum Step {
        case stream
        case endpoint
        case initialize
        case initialized
        case request
        case idle
    }

    private var step = Step.stream
    private var stream: LoopbackConnection?
    private var post: LoopbackConnection?
    private var events = ServerSentEventParser()
    private var template: RequestTemplate?
    private var messagesPath = ""
    private var awaitingAcknowledgement = false
    private var awaitingEvent = false
    /// The POST connection announced `Connection: close`; open a new one for the next message.
    private var isPostClosing = false
    private var expectedID = 0
    private var nextID = 1
    private var sentAt: UInt64 = 0
    private var requestBytes: [UInt8] = []

    override var stepDescription: String {
        switch step {
        case .stream: "waiting for the GET \(context.options.ssePath) response"
        case .endpoint: "waiting for the endpoint event"
        case .initialize: "waiting for the initialize result"
        case .initialized: "waiting for 202 to notifications/initialized"
        case .request: "waiting for the answer to request \(expectedID)"
        case .idle: "idle"
        }
    }

    override func open(now: UInt64) {
        step = .stream
        deadline = now &+ context.timeoutNanoseconds
        do {
            let connection = try LoopbackConnection(poller: context.poller, address: context.address, delegate: self)
            stream = connection
            let request =
                "GET \(context.options.ssePath) HTTP/1.1\r\nHost: \(context.options.authority)\r\n"
                + "Accept: text/event-stream\r\nCache-Control: no-store\r\n" + context.options.extraHeaders + "\r\n"
            connection.send(Array(request.utf8))
        } catch {
            fail(kind: "connect", detail: "GET \(context.options.ssePath): \(error)", breaksSession: true)
        }
    }

    override func teardown() {
        stream?.close()
        post?.close()
        stream = nil
        post = nil
        events.reset()
        template = nil
        awaitingAcknowledgement = false
        awaitingEvent = false
        isPostClosing = false
        nextID = 1
        super.teardown()
    }

    /// Idle mode: the POST connection is closed once the handshake is done, so only the stream stays open.
    func closePostConnection() {
        post?.close()
        post = nil
    }

    // MARK: - ConnectionDelegate

    override func connection(_ connection: LoopbackConnection, didReceive event: HTTPResponseEvent) {
        if consumeFailedResponse(connection, event) { return }
        if connection === stream {
            streamDidReceive(event, from: connection)
        } else if connection === post {
            postDidReceive(event, from: connection)
        }
    }

    override func connectionDidClose(_ connection: LoopbackConnection, reason: String) {
        if reportFailedResponse() { return }
        if connection === stream {
            stream = nil
            fail(
                kind: "stream_closed", detail: "GET \(context.options.ssePath) stream: \(reason) (\(stepDescription))",
                breaksSession: true)
        } else if connection === post {
            post = nil
            if awaitingAcknowledgement {
                fail(
                    kind: "connection_closed", detail: "POST \(messagesPath): \(reason) (\(stepDescription))",
                    breaksSession: true)
            }
        }
    }

    // MARK: - The stream

    private func streamDidReceive(_ event: HTTPResponseEvent, from connection: LoopbackConnection) {
        switch event {
        case .head(let head):
            if !(200..<300).contains(head.status) {
                beginFailedResponse(on: connection, summary: "GET \(context.options.ssePath) answered \(head.status)")
            } else if !head.isEventStream {
                fail(
                    kind: "protocol",
                    detail: "GET \(context.options.ssePath) answered \(head.status) without text/event-stream",
                    breaksSession: true)
            } else {
                step = .endpoint
            }
        case .body(let bytes):
            let generation = self.generation
            var offset = 0
            while events.next(bytes, &offset) {
                handleStreamEvent()
                if self.generation != generation { return }
            }
        case .end:
            fail(
                kind: "stream_closed", detail: "GET \(context.options.ssePath) stream ended (\(stepDescription))",
                breaksSession: true)
        case .malformed:
            break
        }
    }

    private func handleStreamEvent() {
        if step == .endpoint {
            guard events.isEvent("endpoint") else { return }
            let endpoint = String(decoding: events.data, as: UTF8.self).trimmingSpaces()
            guard let path = resolve(endpoint: endpoint) else {
                fail(kind: "protocol", detail: "endpoint event names no usable path: \(endpoint)", breaksSession: true)
                return
            }
            messagesPath = path
            template = RequestTemplate(
                path: path, authority: context.options.postAuthority, headers: context.options.extraHeaders,
                bodyAfterID: context.bodyAfterID)
            step = .initialize
            expectedID = 0
            awaitingEvent = true
            sendMessage(
                RequestTemplate.post(
                    path: path, authority: context.options.postAuthority, headers: context.options.extraHeaders,
                    body: context.initializeBody()))
            return
        }
        guard awaitingEvent, events.isEvent("message") else { return }
        let (id, outcome) = events.data.withUnsafeBytes { data in
            (
                JSONRPCScan.responseID(in: data),
                JSONRPCScan.outcome(in: data, checkingToolError: step == .request && context.checksToolError)
            )
        }
        guard id == expectedID else { return }
        awaitingEvent = false
        if step == .initialize {
            guard outcome == .result else {
                fail(kind: "jsonrpc_error", detail: "initialize: \(excerpt())", breaksSession: true)
                return
            }
        } else if step == .request {
            let now = SystemClock.now()
            if outcome == .result {
                context.observer.sessionDidComplete(latency: now &- sentAt, now: now)
            } else {
                fail(
                    kind: outcome == .toolError ? "tool_error" : "jsonrpc_error", detail: excerpt(),
                    breaksSession: false)
            }
        }
        advanceIfDone()
    }

    private func excerpt() -> String {
        events.data.withUnsafeBytes { JSONRPCScan.excerpt($0) }
    }

    /// The POST path from the endpoint event: absolute URL (its path), absolute path, or relative to the SSE path.
    private func resolve(endpoint: String) -> String? {
        guard !endpoint.isEmpty else { return nil }
        for scheme in ["http://", "https://"] where endpoint.hasPrefix(scheme) {
            let rest = endpoint.dropFirst(scheme.count)
            guard let slash = rest.firstIndex(of: "/") else { return "/" }
            return String(rest[slash...])
        }
        if endpoint.hasPrefix("/") { return endpoint }
        let ssePath = context.options.ssePath
        let directory = ssePath.lastIndex(of: "/").map { String(ssePath[...$0]) } ?? "/"
        return directory + endpoint
    }

    // MARK: - The POST connection

    private func postDidReceive(_ event: HTTPResponseEvent, from connection: LoopbackConnection) {
        switch event {
        case .head(let head):
            if !(200..<300).contains(head.status) {
                beginFailedResponse(
                    on: connection, summary: "POST \(messagesPath) answered \(head.status) (\(stepDescription))")
                return
            }
            isPostClosing = head.isConnectionClose
        case .body:
            break
        case .end:
            awaitingAcknowledgement = false
            if isPostClosing {
                isPostClosing = false
                post?.close()
                post = nil
            }
            advanceIfDone()
        case .malformed:
            break
        }
    }

    private func sendMessage(_ bytes: [UInt8]) {
        if post == nil || post?.isClosed == true {
            do {
                post = try LoopbackConnection(poller: context.poller, address: context.postAddress, delegate: self)
            } catch {
                fail(kind: "connect", detail: "POST \(messagesPath): \(error)", breaksSession: true)
                return
            }
        }
        awaitingAcknowledgement = true
        post?.send(bytes)
    }

    private func advanceIfDone() {
        guard !awaitingAcknowledgement, !awaitingEvent else { return }
        switch step {
        case .initialize:
            step = .initialized
            sendMessage(
                RequestTemplate.post(
                    path: messagesPath, authority: context.options.postAuthority, headers: context.options.extraHeaders,
                    body: SessionContext.initializedBody))
        case .initialized:
            if context.isIdleMode {
                step = .idle
                closePostConnection()
                markEstablished()
            } else {
                markEstablished()
                sendRequest()
            }
        case .request:
            sendRequest()
        case .stream, .endpoint, .idle:
            break
        }
    }

    private func sendRequest() {
        guard let template else { return }
        step = .request
        expectedID = nextID
        nextID += 1
        template.render(id: expectedID, into: &requestBytes)
        awaitingEvent = true
        sentAt = SystemClock.now()
        deadline = sentAt &+ context.timeoutNanoseconds
        sendMessage(requestBytes)
    }
}
