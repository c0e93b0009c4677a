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
        guard let decision = limiter.checkImmediately(key: "requests:\(identity)", limit: limits.requests,
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
        guard limits.requests > 0 else { return nil }
        do {
            let decision = try await limiter.check(key: "requests:\(identity)", limit: limits.requests,
                                                   window: limits.window)
            guard decision.isAllowed else {
                rejected("requests")
                return .rateLimited(decision, what: "requests")
            }
            return nil
        } catch {
            // The limiter's store is down: serve rather than refuse everyone; readiness reports the outage.
            logger.warning("rate limiter unavailable; not limiting", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// The class a tool's calls count against: runs, read-only tools, or the rest.
    static func toolClass(of tool: MCPTool) -> ToolClass {
        if tool.name.hasSuffix("_run") || tool.name.hasPrefix("run_") { return .runs }
        return tool.annotations?.readOnlyHint == true ? .reads : .writes
    }

    /// The tool gate: a call over its class's limit becomes a tool error that says when to retry.
    var toolGate: MCPServer.ToolGate {
        let policy = self
        return { tool, context in
            let toolClass = Self.toolClass(of: tool)
            let limit =
                switch toolClass {
                case .reads: policy.limits.reads
                case .writes: policy.limits.writes
                case .runs: policy.limits.runs
                }
            guard limit > 0 else { return nil }
            let decision: RateLimitDecision
            do {
                decision = try await policy.limiter.check(key: "\(toolClass.rawValue):\(context.session.principal)",
                                                          limit: limit, window: policy.limits.window)
            } catch {
                policy.logger.warning("rate limiter unavailable; not limiting", metadata: ["error": "\(error)"])
                return nil
            }
            guard !decision.isAllowed else { return nil }
            policy.rejected(toolClass.rawValue)
            let seconds = decision.retryAfter.roundedUpSeconds
            return .error("Rate limit reached for \(toolClass.rawValue) (\(limit) per \(policy.limits.window)): "
                + "retry \(tool.name) in \(seconds) s.")
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

/// A request's count against its identity's limit, handed to the handler behind ``RateLimitedHandler`` to await
/// itself, so it can run alongside the store round trip the handler makes anyway: with Redis both commands then go
/// out in one write and come back in one round trip.
struct RequestAdmission: Sendable {
    /// Counts the request; the refusal to answer with, or nil when it is admitted. Call it once.
    let check: @Sendable () async -> MCPTransportError?
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
            awaiting.handle(request, responder: responder, admission: RequestAdmission { await policy.admit(identity) })
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
