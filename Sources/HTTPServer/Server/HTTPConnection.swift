internal import Glibc
internal import Dispatch
internal import EventLoops
internal import Logging
internal import Synchronization

/// One accepted socket: reads requests through the parser, hands them to the handler one at a time (so pipelined
/// requests are answered in order), writes responses and streams, and enforces every deadline.
///
/// All mutable state is confined to its loop's thread; the class is `@unchecked Sendable` only so that responders
/// and streams can hand work back to that loop from any thread. Reads and writes are non-blocking, driven by the
/// loop's epoll readiness.
final class HTTPConnection: EventLoopSelectable, @unchecked Sendable {
    private enum State {
        /// Between requests or reading one.
        case awaitingRequest
        /// The handler has the request and has not answered yet.
        case responding
        /// A streaming response is open.
        case streaming(HTTPResponseStream)
        /// The last response is written; once it is flushed our side is shut and input is discarded until the peer
        /// closes or the linger time passes.
        case lingering
        case closed
    }

    /// What happens when the current deadline passes.
    private enum DeadlineAction {
        case none
        case closeIdle
        case requestTimeout
        case closeAfterLinger
    }

    private let fd: Int32
    private let peerAddress: String
    private unowned let serverLoop: ServerLoop
    private let context: ServerContext
    /// Set for a connection accepted over the cap: it is told 503 and closed.
    private let isRejected: Bool

    private var state = State.awaitingRequest
    /// Held weakly so that a handler dropping its responder without answering is noticed (the responder then
    /// answers 500 itself) instead of leaving the client waiting forever.
    private weak var responder: HTTPResponder?
    private var parser: HTTPRequestParser
    private var isReadingPaused = false
    /// The peer has sent FIN: nothing more will be read, but it may still be reading (RFC 9112 §9.6).
    private var isPeerHalfClosed = false
    private var isWaitingForWritable = false
    /// Bytes accepted for sending and not yet taken by the kernel, from `outboundOffset` on.
    private var outbound: [UInt8] = []
    private var outboundOffset = 0
    private var lastWriteProgress: UInt64 = 0
    private var isWriteSideShut = false
    private var discardedWhileLingering = 0

    private var deadline: UInt64 = 0
    private var deadlineAction = DeadlineAction.none
    private var idleSince: UInt64 = 0

    // The exchange in progress.
    private var exchange: UInt64 = 0
    private var currentHead: HTTPRequestHead?
    private var requestStartedAt: UInt64 = 0
    private var headCompletedAt: UInt64 = 0
    private var isContinueSent = false
    private var requestID = ""
    private var responseStatus = 0
    private var responseBodyBytes = 0
    private var isStreamChunked = false
    private var closesAfterResponse = false

    /// Pipelined bytes buffered while a request is being answered before reading pauses.
    private static let pipelineBufferLimit = 65536
    /// Bytes discarded while lingering before the connection is simply closed.
    private static let lingerDiscardLimit = 1_048_576

    init(fd: Int32, peerAddress: String, loop: ServerLoop, context: ServerContext, isRejected: Bool) {
        self.fd = fd
        self.peerAddress = peerAddress
        serverLoop = loop
        self.context = context
        self.isRejected = isRejected
        parser = HTTPRequestParser(limits: context.configuration.requestLimits)
    }

    private var now: UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// The loop this connection is served on; a request's task runs there too (``HTTPResponder/run(_:)``).
    var loop: EventLoop { serverLoop.eventLoop }

    /// ``HTTPServerConfiguration/streamBufferBytes``; settings are immutable, so any thread may read it.
    var streamBufferLimit: Int { context.configuration.streamBufferBytes }

    // MARK: - Lifecycle

    /// Registers the connection on its loop and starts reading. Runs on the loop thread.
    func start() {
        // The idle clock starts here, not at accept: the connection may wait in its loop's task queue first, and the
        // sweep that follows this very task must not close it before its first request has been read.
        idleSince = now
        serverLoop.add(self)
        loop.register(fd, self)
        if isRejected {
            requestID = context.makeRequestID()
            closesAfterResponse = true
            var headers = HTTPHeaders()
            headers.add(name: "Retry-After", value: String(context.configuration.retryAfterSeconds))
            writeFinalResponse(.error(.serviceUnavailable, code: "too_many_connections",
                                      message: "the server is at its connection limit; retry shortly",
                                      headers: headers), method: nil, path: nil)
        } else if context.isDraining.load(ordering: .relaxed) {
            close()
        } else {
            armDeadline()
        }
    }

    /// Closes the socket at once, then tells whoever is waiting on it why. Bookkeeping comes first, so an owner told
    /// that its stream ended already sees the connection gone.
    private func close(streamTermination: HTTPStreamTermination = .clientDisconnected) {
        let previous = state
        if case .closed = previous { return }
        state = .closed
        serverLoop.remove(self)
        loop.deregister(fd)
        Socket.close(fd)
        deadlineAction = .none
        outbound = []
        outboundOffset = 0
        context.connectionClosed(wasRejected: isRejected)
        switch previous {
        case .responding:
            responder?.cancel()
        case .streaming(let stream):
            stream.terminate(streamTermination)
            logExchange(isStream: true)
        case .awaitingRequest, .lingering, .closed:
            break
        }
    }

    func handleEvents(readable: Bool, writable: Bool) {
        if writable { flush() }
        if readable { handleReadable() }
    }

    // MARK: - Reading

    private func handleReadable() {
        guard !isClosed else { return }
        switch SocketIO.receive(fd, into: loop.readBuffer) {
        case .transferred(let count):
            if case .lingering = state {
                discardedWhileLingering += count
                if discardedWhileLingering > Self.lingerDiscardLimit { close() }
                return
            }
            parser.append(UnsafeRawBufferPointer(rebasing: loop.readBuffer[0..<count]))
            if case .awaitingRequest = state {
                processInput()
            } else if parser.bufferedByteCount > Self.pipelineBufferLimit {
                pauseReading()
            }
        case .wouldBlock:
            return
        case .endOfStream:
            peerFinishedSending()
        case .failed:
            close()
        }
    }

    /// The peer sent FIN, which a client that has gone and a client that half-closed after its request both do.
    ///
    /// HTTP/1.1 lets a half-closed client read its answer (RFC 9112 §9.6), so answers owed to it are finished first:
    /// the request being handled, pipelined ones already buffered, and bytes still being flushed; then the connection
    /// closes. An open stream is different: its client sends nothing after the request, so a FIN there means it left,
    /// and it is let go at once. Reading stops either way, since the end-of-stream would be reported again and again.
    private func peerFinishedSending() {
        // Reading was off, so this is a hang-up (EPOLLHUP): both directions are gone.
        guard !isPeerHalfClosed else {
            close()
            return
        }
        isPeerHalfClosed = true
        switch state {
        case .responding:
            pauseReading()
            context.logger.debug("peer half-closed; finishing its response", metadata: ["request.id": "\(requestID)"])
            probeForDeparture()
        case .awaitingRequest where outboundPendingCount > 0:
            pauseReading()
            beginClosing()
        case .lingering where !isWriteSideShut:
            // The last response is still being flushed; shutWriteSideIfFlushed closes once it is out.
            pauseReading()
        case .awaitingRequest, .streaming, .lingering, .closed:
            close()
        }
    }

    /// Sends an interim `100 Continue`, which an HTTP/1.1 client must accept before any final response (RFC 9110
    /// §15.2). A client that half-closed reads past it; a client that closed its socket answers the bytes with a
    /// reset (RFC 1122 §4.2.2.13), so the connection closes and the handler's work is cancelled, as when a client
    /// leaves without a FIN. HTTP/1.0 forbids 1xx responses, so such a client's answer is simply finished.
    private func probeForDeparture() {
        guard currentHead?.version == .http1_1 else { return }
        enqueue(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
    }

    private var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    private func pauseReading() {
        guard !isReadingPaused, !isClosed else { return }
        isReadingPaused = true
        loop.setInterest(fd, readable: false, writable: isWaitingForWritable)
    }

    private func resumeReading() {
        guard isReadingPaused, !isClosed, !isPeerHalfClosed else { return }
        isReadingPaused = false
        loop.setInterest(fd, readable: true, writable: isWaitingForWritable)
    }

    /// Turns buffered bytes into requests while the connection is free to take one.
    private func processInput() {
        while case .awaitingRequest = state {
            let event: HTTPParserEvent?
            do {
                event = try parser.nextEvent()
            } catch {
                reject(error)
                return
            }
            guard let event else { break }
            switch event {
            case .head(let head):
                currentHead = head
                if requestStartedAt == 0 { requestStartedAt = now }
                headCompletedAt = now
            case .end(let body):
                dispatch(body: body)
            }
        }
        guard case .awaitingRequest = state else { return }
        if isPeerHalfClosed {
            // Nothing more will arrive, so what is buffered now will never become a request.
            beginClosing()
            return
        }
        if parser.isMidRequest, requestStartedAt == 0 { requestStartedAt = now }
        if let head = currentHead, head.expectsContinue, parser.isAwaitingBody, !isContinueSent {
            isContinueSent = true
            enqueue(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
        if parser.bufferedByteCount <= Self.pipelineBufferLimit, outboundPendingCount <= Self.pipelineBufferLimit {
            resumeReading()
        }
        armDeadline()
    }

    /// Sets the deadline that fits where the connection stands between responses.
    private func armDeadline() {
        guard case .awaitingRequest = state else { return }
        let configuration = context.configuration
        if parser.isAwaitingBody {
            deadline = headCompletedAt &+ configuration.bodyTimeout.nanoseconds
            deadlineAction = .requestTimeout
        } else if parser.isMidRequest {
            deadline = requestStartedAt &+ configuration.headerTimeout.nanoseconds
            deadlineAction = .requestTimeout
        } else {
            deadline = idleSince &+ configuration.idleTimeout.nanoseconds
            if context.isDraining.load(ordering: .relaxed) {
                deadline = min(deadline, now &+ context.drainIdleGraceNanoseconds)
            }
            deadlineAction = .closeIdle
        }
    }

    private func dispatch(body: [UInt8]) {
        guard let head = currentHead else { preconditionFailure("request body without a head") }
        exchange &+= 1
        requestID = Self.usableRequestID(head.headers["X-Request-Id"]) ?? context.makeRequestID()
        closesAfterResponse = !head.isKeepAlive || context.isDraining.load(ordering: .relaxed)
        responseStatus = 0
        responseBodyBytes = 0
        deadlineAction = .none
        let responder = HTTPResponder(connection: self, exchange: exchange)
        self.responder = responder
        state = .responding
        let request = HTTPRequest(head: head, body: body, requestID: requestID, peerAddress: peerAddress)
        context.handler.handle(request, responder: responder)
    }

    /// A client-supplied request id is echoed only when it is short and made of safe characters, so it cannot
    /// inject anything into headers or log lines.
    private static func usableRequestID(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= 128,
              value.utf8.allSatisfy({ byte in
                  (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                      || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                      || byte == UInt8(ascii: ":")
              })
        else { return nil }
        return value
    }

    /// Answers a request that could not be parsed, then closes.
    private func reject(_ error: HTTPParseError) {
        requestID = context.makeRequestID()
        if requestStartedAt == 0 { requestStartedAt = now }
        closesAfterResponse = true
        context.logger.debug("rejected request", metadata: ["http.error": "\(error)", "request.id": "\(requestID)"])
        writeFinalResponse(error.response, method: currentHead?.method, path: currentHead?.path)
    }

    // MARK: - Deadlines

    /// Called by the loop's sweep timer.
    func checkDeadlines(now: UInt64) {
        if outboundPendingCount > 0, now &- lastWriteProgress > context.configuration.writeTimeout.nanoseconds {
            context.logger.info("closing connection: peer stopped reading", metadata: ["request.id": "\(requestID)"])
            close(streamTermination: .writeTimeout)
            return
        }
        guard deadlineAction != .none, now >= deadline else { return }
        switch deadlineAction {
        case .none:
            break
        case .closeIdle, .closeAfterLinger:
            close()
        case .requestTimeout:
            requestID = context.makeRequestID()
            closesAfterResponse = true
            let message = parser.isAwaitingBody
                ? "request body not received within \(context.configuration.bodyTimeout)"
                : "request headers not received within \(context.configuration.headerTimeout)"
            writeFinalResponse(.error(.requestTimeout, code: "request_timeout", message: message),
                               method: currentHead?.method, path: currentHead?.path)
        }
    }

    // MARK: - Draining

    /// Shutdown has begun: busy connections close after their current response and streams end cleanly. An idle
    /// keep-alive connection stays open for a short grace, so a request a proxy already sent on it (a readiness
    /// probe, say) is answered, with `Connection: close`, rather than lost to a reset.
    func beginDrain() {
        switch state {
        case .awaitingRequest:
            if !parser.isMidRequest {
                deadline = min(deadline, now &+ context.drainIdleGraceNanoseconds)
                deadlineAction = .closeIdle
            }
        case .responding:
            closesAfterResponse = true
        case .streaming(let stream):
            closesAfterResponse = true
            finishStream(stream, reason: .serverShutdown)
        case .lingering, .closed:
            break
        }
    }

    /// Drain time is over: whatever is left closes now.
    func forceClose() {
        close(streamTermination: .serverShutdown)
    }

    // MARK: - Responses

    /// Delivers a handler's response; may be called from any thread.
    func deliver(_ response: HTTPResponse, exchange: UInt64) {
        if loop.isCurrent {
            writeResponse(response, exchange: exchange)
        } else {
            loop.execute { self.writeResponse(response, exchange: exchange) }
        }
    }

    private func writeResponse(_ response: HTTPResponse, exchange: UInt64) {
        guard case .responding = state, exchange == self.exchange, let head = currentHead else { return }
        if response.headers.containsToken("close", in: "Connection") { closesAfterResponse = true }
        let isHead = head.method == .head
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160 + response.headers.count * 32 + (isHead ? 0 : response.body.count))
        appendHead(status: response.status, headers: response.headers, to: &bytes,
                   contentLength: response.status.forbidsBody ? nil : response.body.count, isChunked: false,
                   version: head.version)
        if !isHead, !response.status.forbidsBody {
            bytes.append(contentsOf: response.body)
            responseBodyBytes = response.body.count
        }
        responseStatus = response.status.code
        enqueue(bytes)
        completeExchange()
    }

    /// Writes a final response outside any handler (parse errors, timeouts, the connection cap), then lingers.
    private func writeFinalResponse(_ response: HTTPResponse, method: HTTPMethod?, path: String?) {
        var bytes: [UInt8] = []
        appendHead(status: response.status, headers: response.headers, to: &bytes,
                   contentLength: response.body.count, isChunked: false, version: .http1_1)
        bytes.append(contentsOf: response.body)
        responseStatus = response.status.code
        responseBodyBytes = response.body.count
        enqueue(bytes)
        logExchange(method: method, path: path)
        beginClosing()
    }

    /// Serializes the status line and headers, adding the ones the server owns.
    private func appendHead(
        status: HTTPStatus, headers: HTTPHeaders, to bytes: inout [UInt8], contentLength: Int?, isChunked: Bool,
        version: HTTPVersion
    ) {
        bytes.append(contentsOf: "HTTP/1.1 ".utf8)
        bytes.append(contentsOf: String(status.code).utf8)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: status.reasonPhrase.utf8)
        bytes.append(contentsOf: "\r\n".utf8)
        for field in headers {
            // Framing and persistence are decided here, never by a handler.
            if field.name.equalsIgnoringASCIICase("Content-Length")
                || field.name.equalsIgnoringASCIICase("Transfer-Encoding")
                || field.name.equalsIgnoringASCIICase("Connection")
            {
                continue
            }
            appendField(field.name, field.value, to: &bytes)
        }
        appendField("Date", serverLoop.httpDate, to: &bytes)
        appendField("X-Request-Id", requestID, to: &bytes)
        if let contentLength { appendField("Content-Length", String(contentLength), to: &bytes) }
        if isChunked { appendField("Transfer-Encoding", "chunked", to: &bytes) }
        if closesAfterResponse {
            appendField("Connection", "close", to: &bytes)
        } else if version == .http1_0 {
            appendField("Connection", "keep-alive", to: &bytes)
        }
        bytes.append(contentsOf: "\r\n".utf8)
    }

    private func appendField(_ name: String, _ value: String, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: ": ".utf8)
        bytes.append(contentsOf: value.utf8)
        bytes.append(contentsOf: "\r\n".utf8)
    }

    /// The response is handed over: log it, then serve the next pipelined request or close.
    private func completeExchange() {
        logExchange()
        if closesAfterResponse {
            beginClosing()
            return
        }
        state = .awaitingRequest
        currentHead = nil
        requestStartedAt = 0
        isContinueSent = false
        idleSince = now
        processInput()
    }

    /// Stops taking requests: once the send buffer is flushed the write side is shut and the peer's remaining input
    /// is discarded until it closes, so it reads our last response instead of a reset.
    private func beginClosing() {
        state = .lingering
        deadline = now &+ context.lingerNanoseconds
        deadlineAction = .closeAfterLinger
        resumeReading()
        shutWriteSideIfFlushed()
    }

    private func shutWriteSideIfFlushed() {
        guard case .lingering = state, outboundPendingCount == 0, !isWriteSideShut else { return }
        isWriteSideShut = true
        Socket.shutdownWrites(fd)
        // A peer that half-closed has nothing left to send, so there is nothing to linger for.
        if isPeerHalfClosed { close() }
    }

    private func logExchange(method: HTTPMethod? = nil, path: String? = nil, isStream: Bool = false) {
        let started = requestStartedAt == 0 ? now : requestStartedAt
        if let onExchange = context.onExchange {
            onExchange(HTTPExchange(method: method ?? currentHead?.method, path: path ?? currentHead?.path ?? "-",
                                    status: responseStatus, durationNanoseconds: now &- started, isStream: isStream))
        }
        let logger = context.logger
        guard logger.logLevel <= .info else { return }
        let record = HTTPAccessRecord(
            method: (method ?? currentHead?.method)?.rawValue ?? "-", path: path ?? currentHead?.path ?? "-",
            status: responseStatus, bodyBytes: responseBodyBytes, durationNanoseconds: now &- started,
            requestID: requestID)
        // One metadata value instead of six keeps the per-request cost of the access log small.
        logger.info("request", metadata: ["http": .stringConvertible(record)])
    }

    // MARK: - Streams

    func startStream(_ stream: HTTPResponseStream, head responseHead: HTTPResponseHead) {
        if loop.isCurrent {
            openStream(stream, head: responseHead)
        } else {
            loop.execute { self.openStream(stream, head: responseHead) }
        }
    }

    private func openStream(_ stream: HTTPResponseStream, head responseHead: HTTPResponseHead) {
        guard case .responding = state, stream.exchange == exchange, let head = currentHead else {
            stream.terminate(.clientDisconnected)
            return
        }
        // HTTP/1.0 has no chunked coding: the stream is delimited by closing the connection.
        isStreamChunked = head.version == .http1_1
        if !isStreamChunked { closesAfterResponse = true }
        var bytes: [UInt8] = []
        appendHead(status: responseHead.status, headers: responseHead.headers, to: &bytes, contentLength: nil,
                   isChunked: isStreamChunked, version: head.version)
        responseStatus = responseHead.status.code
        // Whatever is still queued ahead of the head waits for the same reader, so it counts against the cap too.
        stream.connectionQueued(outboundPendingCount + bytes.count)
        state = .streaming(stream)
        enqueue(bytes)
        if head.method == .head || context.isDraining.load(ordering: .relaxed) {
            finishStream(stream, reason: head.method == .head ? .ended : .serverShutdown)
        }
    }

    func writeToStream(_ stream: HTTPResponseStream, bytes: [UInt8]) {
        loop.execute { self.appendToStream(stream, bytes: bytes) }
    }

    private func appendToStream(_ stream: HTTPResponseStream, bytes: [UInt8]) {
        guard case .streaming(let current) = state, current === stream else { return }
        responseBodyBytes += bytes.count
        if isStreamChunked {
            var framed: [UInt8] = []
            framed.reserveCapacity(bytes.count + 12)
            framed.append(contentsOf: String(bytes.count, radix: 16).utf8)
            framed.append(contentsOf: "\r\n".utf8)
            framed.append(contentsOf: bytes)
            framed.append(contentsOf: "\r\n".utf8)
            stream.connectionQueued(framed.count - bytes.count)
            enqueue(framed)
        } else {
            enqueue(bytes)
        }
    }

    /// A write found the stream over its buffer cap and refused it; the stream is cut and the cut logged, on the
    /// loop. Callable from any thread.
    func cutSlowStream(_ stream: HTTPResponseStream) {
        loop.execute {
            guard case .streaming(let current) = self.state, current === stream else { return }
            self.context.logger.warning(
                "closing stream: client reads too slowly",
                metadata: ["request.id": "\(self.requestID)", "http.buffer_limit": "\(self.streamBufferLimit)"]
            )
            self.close(streamTermination: .slowReader)
        }
    }

    func endStream(_ stream: HTTPResponseStream) {
        loop.execute {
            guard case .streaming(let current) = self.state, current === stream else { return }
            self.finishStream(stream, reason: .ended)
        }
    }

    /// Writes the terminating chunk, tells the owner, and completes the exchange.
    private func finishStream(_ stream: HTTPResponseStream, reason: HTTPStreamTermination) {
        if isStreamChunked {
            let terminator = Array("0\r\n\r\n".utf8)
            stream.connectionQueued(terminator.count)
            enqueue(terminator)
        }
        stream.terminate(reason)
        completeExchange()
    }

    // MARK: - Writing

    private var outboundPendingCount: Int { outbound.count - outboundOffset }

    /// Queues bytes behind anything already waiting and sends as much as the socket takes now.
    private func enqueue(_ bytes: [UInt8]) {
        guard !isClosed else { return }
        if outboundPendingCount == 0 {
            outbound = bytes
            outboundOffset = 0
            lastWriteProgress = now
        } else {
            outbound.append(contentsOf: bytes)
        }
        flush()
    }

    private func flush() {
        while outboundPendingCount > 0 {
            let result = outbound.withUnsafeBytes { buffer in
                SocketIO.send(fd, UnsafeRawBufferPointer(rebasing: buffer[outboundOffset...]))
            }
            switch result {
            case .transferred(let count):
                outboundOffset += count
                lastWriteProgress = now
                if case .streaming(let stream) = state { stream.socketTook(count) }
            case .wouldBlock:
                waitForWritable()
                return
            case .endOfStream, .failed:
                close()
                return
            }
        }
        outbound = []
        outboundOffset = 0
        if isWaitingForWritable {
            isWaitingForWritable = false
            loop.setInterest(fd, readable: !isReadingPaused, writable: false)
        }
        shutWriteSideIfFlushed()
        if case .awaitingRequest = state, isReadingPaused, parser.bufferedByteCount <= Self.pipelineBufferLimit {
            resumeReading()
        }
    }

    private func waitForWritable() {
        if outboundPendingCount > Self.pipelineBufferLimit { pauseReadingIfIdle() }
        guard !isWaitingForWritable else { return }
        isWaitingForWritable = true
        loop.setInterest(fd, readable: !isReadingPaused, writable: true)
    }

    /// A client that sends pipelined requests but does not read the answers stops being read too.
    private func pauseReadingIfIdle() {
        if case .awaitingRequest = state { pauseReading() }
    }
}
