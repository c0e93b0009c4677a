internal import HTTPServer

/// What a request's work carries with it, as task-local values: the HTTP request id and the trace it belongs to.
/// Set by ``RequestScopeHandler`` around an MCP request's handling, inherited by every task it starts (the tool
/// call, the Make calls), so their log lines and spans name the request and the trace.
struct RequestScope: Sendable {
    var requestID: String
    /// From the request's `traceparent` header, if it sent a valid one.
    var trace: TraceContext?

    @TaskLocal static var current: RequestScope?
}

/// Runs the handler behind it inside the request's ``RequestScope``, with its `traceparent` as the current trace.
struct RequestScopeHandler<Inner: HTTPHandler>: HTTPHandler {
    let inner: Inner

    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        let trace = request.headers["traceparent"].flatMap(TraceContext.init(traceparent:))
        RequestScope.$current.withValue(RequestScope(requestID: request.requestID, trace: trace)) {
            TraceContext.$current.withValue(trace) {
                inner.handle(request, responder: responder)
            }
        }
    }
}
