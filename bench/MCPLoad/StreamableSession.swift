/// One Streamable HTTP session: `initialize` (its answer names `Mcp-Session-Id`), `notifications/initialized`
/// (202), then each request POSTed with the session and protocol-version headers on one keep-alive connection.
/// Answers are `application/json`, or a `text/event-stream` carrying the result as a `message` event.
final class StreamableSession: MCPSession {
    private enum Step {
        case initialize
        case initialized
        case request
    }

    private var step = Step.initialize
    private var connection: LoopbackConnection?
    private var template: RequestTemplate?
    private var sessionHeaders = ""
    private var expectedID = 0
    private var nextID = 1
    private var sentAt: UInt64 = 0
    private var requestBytes: [UInt8] = []

    /// The response being read.
    private var head = HTTPResponseHead()
    private var body: [UInt8] = []
    private var events = ServerSentEventParser()
    /// The event-stream response carried the awaited answer.
    private var isAnswered = false

    override var stepDescription: String {
        switch step {
        case .initialize: "waiting for the initialize result"
        case .initialized: "waiting for 202 to notifications/initialized"
        case .request: "waiting for the answer to request \(expectedID)"
        }
    }

    /// `--path`, or where the server redirected `initialize` to (FastMCP answers `/mcp/` with 307 to `/mcp`).
    private var path: String
    /// A 307 or 308 to `initialize` names this path; the request is sent there once the redirect's body is read.
    private var redirectPath: String?
    private var redirectCount = 0

    override init(context: SessionContext) {
        path = context.options.path
        super.init(context: context)
    }

    override func open(now: UInt64) {
        step = .initialize
        expectedID = 0
        deadline = now &+ context.timeoutNanoseconds
        send(
            RequestTemplate.post(
                path: path, authority: context.options.authority,
                headers: "Accept: application/json, text/event-stream\r\n" + context.options.extraHeaders,
                body: context.initializeBody()))
    }

    override func teardown() {
        connection?.close()
        connection = nil
        redirectPath = nil
        redirectCount = 0
        template = nil
        sessionHeaders = ""
        nextID = 1
        body.removeAll(keepingCapacity: true)
        events.reset()
        super.teardown()
    }

    // MARK: - ConnectionDelegate

    override func connection(_ connection: LoopbackConnection, didReceive event: HTTPResponseEvent) {
        if consumeFailedResponse(connection, event) { return }
        switch event {
        case .head(let head):
            self.head = head
            body.removeAll(keepingCapacity: true)
            if head.isEventStream { events.reset() }
            isAnswered = false
            if step == .initialize, head.status == 307 || head.status == 308, redirectCount < 3,
                let target = head.location.flatMap(Self.path(fromLocation:))
            {
                redirectPath = target
            } else if !(200..<300).contains(head.status) {
                beginFailedResponse(
                    on: connection, summary: "POST \(path) answered \(head.status) (\(stepDescription))")
            }
        case .body(let bytes):
            if head.isEventStream {
                let generation = self.generation
                var offset = 0
                while events.next(bytes, &offset) {
                    guard events.isEvent("message") else { continue }
                    let answer = events.data.withUnsafeBytes { inspect($0) }
                    handleAnswer(answer, fromStream: true)
                    if self.generation != generation { return }
                }
            } else {
                body.append(contentsOf: bytes)
            }
        case .end:
            responseDidEnd()
        case .malformed:
            break
        }
    }

    override func connectionDidClose(_ connection: LoopbackConnection, reason: String) {
        if reportFailedResponse() { return }
        self.connection = nil
        // Between responses a keep-alive connection may simply time out; the next request reconnects.
        guard deadline != 0 else { return }
        fail(kind: "connection_closed", detail: "POST \(path): \(reason) (\(stepDescription))", breaksSession: true)
    }

    // MARK: - Private

    /// The path of a `Location` value: an absolute URL's path, or an absolute path; nil otherwise.
    private static func path(fromLocation location: String) -> String? {
        if location.hasPrefix("/") { return location }
        for scheme in ["http://", "https://"] where location.hasPrefix(scheme) {
            let rest = location.dropFirst(scheme.count)
            return rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
        }
        return nil
    }

    private func responseDidEnd() {
        if head.isConnectionClose {
            connection?.close()
            connection = nil
        }
        if let target = redirectPath {
            // Only initialize follows redirects (as the Python SDK does for a same-origin 307): the session then
            // keeps the new path, and a redirect of a later request counts as the failure it is for a client.
            redirectPath = nil
            redirectCount += 1
            path = target
            open(now: SystemClock.now())
            return
        }
        switch step {
        case .initialize, .request:
            if !head.isEventStream {
                let generation = self.generation
                let answer = body.withUnsafeBytes { inspect($0) }
                handleAnswer(answer, fromStream: false)
                if self.generation != generation { return }
            }
            if !isAnswered {
                fail(
                    kind: "protocol",
                    detail: "POST \(path) answered \(head.status) without a response to id \(expectedID)",
                    breaksSession: step == .initialize)
                if step == .initialize { return }
            }
        case .initialized:
            break
        }
        advance()
    }

    /// What one JSON-RPC message says, read while its bytes are borrowed; acted on afterwards.
    private struct Answer {
        var id: Int?
        var outcome: JSONRPCScan.Outcome
        /// The message text, kept only when it will be reported.
        var excerpt = ""
        var protocolVersion: String?
    }

    private func inspect(_ message: UnsafeRawBufferPointer) -> Answer {
        var answer = Answer(
            id: JSONRPCScan.responseID(in: message),
            outcome: JSONRPCScan.outcome(
                in: message,
                checkingToolError: step == .request && context.checksToolError))
        if answer.outcome != .result || answer.id != expectedID { answer.excerpt = JSONRPCScan.excerpt(message) }
        if step == .initialize {
            answer.protocolVersion = JSONRPCScan.stringValue(of: "\"protocolVersion\":\"", in: message)
        }
        return answer
    }

    /// Acts on one JSON-RPC message: the awaited answer is recorded; others (notifications on a stream) are skipped.
    private func handleAnswer(_ answer: Answer, fromStream: Bool) {
        guard !isAnswered else { return }
        if fromStream, answer.id != expectedID { return }
        isAnswered = true
        if answer.id != expectedID {
            fail(
                kind: "protocol",
                detail: "answer to id \(expectedID) carries id \(answer.id.map(String.init) ?? "none"): "
                    + answer.excerpt, breaksSession: step == .initialize)
            return
        }
        switch step {
        case .initialize:
            guard answer.outcome == .result else {
                fail(kind: "jsonrpc_error", detail: "initialize: \(answer.excerpt)", breaksSession: true)
                return
            }
            let version = answer.protocolVersion ?? context.options.offeredProtocolVersion
            var headers = "Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: \(version)\r\n"
                + context.options.extraHeaders
            if let sessionID = head.sessionID { headers += "Mcp-Session-Id: \(sessionID)\r\n" }
            sessionHeaders = headers
        case .request:
            let now = SystemClock.now()
            if answer.outcome == .result {
                context.observer.sessionDidComplete(latency: now &- sentAt, now: now)
            } else {
                fail(
                    kind: answer.outcome == .toolError ? "tool_error" : "jsonrpc_error", detail: answer.excerpt,
                    breaksSession: false)
            }
        case .initialized:
            break
        }
    }

    private func advance() {
        switch step {
        case .initialize:
            step = .initialized
            send(
                RequestTemplate.post(
                    path: path, authority: context.options.authority, headers: sessionHeaders,
                    body: SessionContext.initializedBody))
        case .initialized:
            markEstablished()
            template = RequestTemplate(
                path: path, authority: context.options.authority, headers: sessionHeaders,
                bodyAfterID: context.bodyAfterID)
            sendRequest()
        case .request:
            sendRequest()
        }
    }

    private func sendRequest() {
        guard let template else { return }
        step = .request
        expectedID = nextID
        nextID += 1
        template.render(id: expectedID, into: &requestBytes)
        sentAt = SystemClock.now()
        deadline = sentAt &+ context.timeoutNanoseconds
        send(requestBytes)
    }

    private func send(_ bytes: [UInt8]) {
        if connection == nil || connection?.isClosed == true {
            do {
                connection = try LoopbackConnection(poller: context.poller, address: context.address, delegate: self)
            } catch {
                fail(kind: "connect", detail: "POST \(path): \(error)", breaksSession: true)
                return
            }
        }
        connection?.send(bytes)
    }
}
