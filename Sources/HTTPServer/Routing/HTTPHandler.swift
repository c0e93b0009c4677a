/// Answers requests. The server calls ``handle(_:responder:)`` on the connection's queue; the handler must
/// eventually call exactly one of the responder's answering methods, from any thread.
///
/// A handler that can answer at once does so inline, which keeps the fast path free of task hops; one that must wait
/// hands its work to ``HTTPResponder/run(_:)`` so the connection owns, and can cancel, the task.
package protocol HTTPHandler: Sendable {
    func handle(_ request: HTTPRequest, responder: HTTPResponder)
}

/// A handler made from a closure that returns its response at once.
package struct ClosureHandler: HTTPHandler {
    private let body: @Sendable (HTTPRequest) -> HTTPResponse

    package init(_ body: @escaping @Sendable (HTTPRequest) -> HTTPResponse) {
        self.body = body
    }

    package func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        responder.respond(body(request))
    }
}
