internal import HTTPServer
internal import Logging
internal import MCPProtocol
internal import Stores

/// The gateway's rate limits: one on every MCP request per identity, and one per class of tool call. Counted in the
/// store's limiter, so with Redis every replica counts against the same windows, each request once.
struct RateLimitPolicy: Sendable {
    enum ToolClass: String, Sendable {
        case reads
        case writes
        case runs
    }

    struct Limits: Sendable {
        var requests: Int
        var reads: Int
        var writes: Int
        var runs: Int
        var window: Duration
    }

    let limiter: any RateLimiter
    let limits: Limits
    let forwardedForHops: Int
    let logger: Logger
    /// Told the limit (`requests`, `reads`, `writes`, `runs`) of every refusal, for metrics.
    var rejected: @Sendable (_ limit: String) -> Void = { _ in }

    /// Who a request counts against: its authenticated user or API key, else the client's address, read from
    /// `X-Forwarded-For` only as far as trusted proxies vouch for it.
    func clientIdentity(of request: HTTPRequest) -> String {
        if let principal = request.attributes[RequestAttribute.principal] { return principal }
        guard forwardedForHops > 0, let forwarded = request.headers.values(for: "X-Forwarded-For").last else {
            return "ip:\(request.peerAddress)"
        }
        let hops = forwarded.split(separator: ",").map { String(Substring($0).trimmingHTTPWhitespace()) }
        guard hops.count >= forwardedForHops else { return "ip:\(request.peerAddress)" }
        return "ip:\(hops[hops.count - forwardedForHops])"
    }

    /// Counts one MCP request without suspending, when the limiter allows that: `.some(nil)` when admitted,
    /// `.some(refusal)` when not, nil when the check needs the store.
    func admitImmediately(_ identity: String) -> MCPTransportError?? {
        guard limits.requests > 0 else { return .some(nil) }
        guard !limiter.needsRoundTrip,
              let decision = limiter.checkImmediately(key: "requests:\(identity)", limit: limits.requests,
                                                      window: limits.window)
        else { return nil }
        guard decision.isAllowed else {
            rejected("requests")
            return .some(.rateLimited(decision, what: "requests"))
        }
        return .some(nil)
    }

    /// Counts one MCP request; nil when allowed (or the limit is off), the refusal otherwise.
    func admit(_ identity: String) async -> MCPTransportError? {
        await withUnsafeContinuation { continuation in
            admit(identity, toolCall: nil) { continuation.resume(returning: $0.refusal) }
        }
    }

    /// A tool call to count with the request that carries it: what counting needs of it, taken once.
    struct ToolCall: Sendable {
        let toolName: String
        let toolClass: ToolClass
        let principal: String

        init(_ tool: MCPTool, principal: String) {
            toolName = tool.name
            toolClass = RateLimitPolicy.toolClass(of: tool)
            self.principal = principal
        }
    }

    /// What ``admit(_:toolCall:completion:)`` found.
    struct Admission: Sendable {
        /// Why the request may not run; nil when it may.
        var refusal: MCPTransportError?
        /// The counted tool call, for ``ToolCallAdmission/current``.
        var toolCall: ToolCallAdmission?
        /// The shared store's session generation read with the counts (see `SessionStore`); nil without one.
        var sessionGeneration: UInt64?
    }

    /// Counts one MCP request and, when it carries a tool call that will reach the tool gate, that call against its
    /// class too, in one step (one Redis round trip). The call is counted only when the request is admitted; its
    /// outcome goes to the gate through ``ToolCallAdmission/current`` so it is not counted twice. On an event loop,
    /// `completion` runs on that loop when the limiter answers, with no task in between.
    func admit(
        _ identity: String, toolCall: ToolCall?, completion: @escaping @Sendable (Admission) -> Void
    ) {
        var checks: [RateLimitCheck] = []
        if limits.requests > 0 {
            checks.append(RateLimitCheck(key: "requests:\(identity)", limit: limits.requests, window: limits.window))
        }
        let callLimit = toolCall.flatMap { classLimit(of: $0.toolClass) }
        if let call = toolCall, let callLimit {
            checks.append(RateLimitCheck(key: "\(call.toolClass.rawValue):\(call.principal)", limit: callLimit,
                                         window: limits.window))
        }
        guard !checks.isEmpty else {
            return completion(Admission(toolCall: toolCall.map { ToolCallAdmission($0, refusal: nil) }))
        }
        let policy = self
        limiter.check(checks) { result in
            let outcome: RateLimitOutcome
            switch result {
            case .success(let made):
                outcome = made
            case .failure(let error):
                // The limiter's store is down: serve rather than refuse everyone; readiness reports the outage.
                policy.logger.warning("rate limiter unavailable; not limiting", metadata: ["error": "\(error)"])
                return completion(Admission())
            }
            var remaining = outcome.decisions[...]
            if policy.limits.requests > 0, let decision = remaining.popFirst(), !decision.isAllowed {
                policy.rejected("requests")
                return completion(Admission(refusal: .rateLimited(decision, what: "requests")))
            }
            guard let call = toolCall else {
                return completion(Admission(sessionGeneration: outcome.sessionGeneration))
            }
            var refusal: MCPToolResult?
            if let callLimit, let decision = remaining.first, !decision.isAllowed {
                refusal = policy.toolRefusal(call.toolName, toolClass: call.toolClass, limit: callLimit,
                                             decision: decision)
            }
            completion(Admission(toolCall: ToolCallAdmission(call, refusal: refusal),
                                 sessionGeneration: outcome.sessionGeneration))
        }
    }

    /// The class a tool's calls count against: runs, read-only tools, or the rest.
    static func toolClass(of tool: MCPTool) -> ToolClass {
        if tool.name.hasSuffix("_run") || tool.name.hasPrefix("run_") { return .runs }
        return tool.annotations?.readOnlyHint == true ? .reads : .writes
    }

    /// The class's limit; nil when that class is not limited.
    private func classLimit(of toolClass: ToolClass) -> Int? {
        let limit =
            switch toolClass {
            case .reads: limits.reads
            case .writes: limits.writes
            case .runs: limits.runs
            }
        return limit > 0 ? limit : nil
    }

    /// The tool error for a call over its class's limit, saying when to retry.
    private func toolRefusal(_ toolName: String, toolClass: ToolClass, limit: Int, decision: RateLimitDecision)
        -> MCPToolResult
    {
        rejected(toolClass.rawValue)
        let seconds = decision.retryAfter.roundedUpSeconds
        return .error("Rate limit reached for \(toolClass.rawValue) (\(limit) per \(limits.window)): "
            + "retry \(toolName) in \(seconds) s.")
    }

    /// The tool gate: a call over its class's limit becomes a tool error that says when to retry. A call already
    /// counted with its request (``admit(_:toolCall:)``) is not counted again.
    var toolGate: MCPServer.ToolGate {
        let policy = self
        return { tool, context in
            if let counted = ToolCallAdmission.current, counted.toolName == tool.name,
               counted.principal == context.session.principal
            {
                return counted.refusal
            }
            let toolClass = Self.toolClass(of: tool)
            guard let limit = policy.classLimit(of: toolClass) else { return nil }
            let decision: RateLimitDecision
            do {
                decision = try await policy.limiter.check(key: "\(toolClass.rawValue):\(context.session.principal)",
                                                          limit: limit, window: policy.limits.window)
            } catch {
                policy.logger.warning("rate limiter unavailable; not limiting", metadata: ["error": "\(error)"])
                return nil
            }
            guard !decision.isAllowed else { return nil }
            return policy.toolRefusal(tool.name, toolClass: toolClass, limit: limit, decision: decision)
        }
    }
}

extension Duration {
    /// Whole seconds, rounded up, at least 1: what `Retry-After` says.
    var roundedUpSeconds: Int64 {
        let (seconds, attoseconds) = components
        return max(1, seconds + (attoseconds > 0 ? 1 : 0))
    }
}

/// A tool call counted against its class together with its request: what the tool gate answers for it.
struct ToolCallAdmission: Sendable {
    var toolName: String
    var principal: String
    /// The tool error when the class is over its limit; nil when the call may run.
    var refusal: MCPToolResult?

    /// Bound by a transport around handing the message over, so the task that runs the call inherits it.
    @TaskLocal static var current: ToolCallAdmission?

    init(_ call: RateLimitPolicy.ToolCall, refusal: MCPToolResult?) {
        toolName = call.toolName
        principal = call.principal
        self.refusal = refusal
    }
}

/// A request's count against its identity's limit, handed to the handler behind ``RateLimitedHandler`` to await
/// itself, so it can run alongside the store round trip the handler makes anyway, and count the tool call the
/// request carries in the same step: with Redis it all goes out in one write and comes back in one round trip.
struct RequestAdmission: Sendable {
    let policy: RateLimitPolicy
    let identity: String

    /// Counts the request; its refusal, or nil. Check once, this way or the other.
    func check() async -> MCPTransportError? {
        await policy.admit(identity)
    }

    /// Counts the request and, when `toolCall` is given, the call it carries; `completion` runs on the request's
    /// event loop when the limiter answers.
    func check(
        toolCall: RateLimitPolicy.ToolCall?, completion: @escaping @Sendable (RateLimitPolicy.Admission) -> Void
    ) {
        policy.admit(identity, toolCall: toolCall, completion: completion)
    }
}

/// A handler that awaits its requests' admission itself. Until the admission says yes it may only read the request
/// and the store; a refusal is the answer, whatever else it found.
protocol AdmissionAwaitingHandler: HTTPHandler {
    func handle(_ request: HTTPRequest, responder: HTTPResponder, admission: RequestAdmission)
}

/// Counts each MCP request against its identity's limit before the transport acts on it.
struct RateLimitedHandler<Inner: HTTPHandler>: HTTPHandler {
    let inner: Inner
    let policy: RateLimitPolicy

    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        let identity = policy.clientIdentity(of: request)
        // In memory the check is synchronous, and the request stays on the fast path.
        if let immediate = policy.admitImmediately(identity) {
            if let refusal = immediate {
                responder.respond(refusal.response)
            } else {
                inner.handle(request, responder: responder)
            }
            return
        }
        if let awaiting = inner as? any AdmissionAwaitingHandler {
            awaiting.handle(request, responder: responder, admission: RequestAdmission(policy: policy, identity: identity))
            return
        }
        responder.run {
            if let refusal = await policy.admit(identity) {
                responder.respond(refusal.response)
            } else {
                inner.handle(request, responder: responder)
            }
        }
    }
}
