package import HTTPServer
package import MCPProtocol
package import Stores

/// Every way an MCP HTTP request is refused before its message reaches the protocol layer, mapped here, and only
/// here, to one HTTP status and one JSON-RPC error body (`id: null`), as mcp.md §4.2 and §5.3 list them.
package enum MCPTransportError: Error, Equatable, CustomStringConvertible {
    case originNotAllowed(String)
    case notAcceptable(String)
    case unsupportedMediaType
    case missingSessionID
    case sessionNotFound
    case unsupportedProtocolVersion(String)
    case malformedMessage(JSONRPCDecodingError)
    case batchNotAllowed
    case tooManySessions(limit: Int)
    case streamAlreadyOpen
    case tooManyStreams(limit: Int)
    case storeUnavailable
    case shuttingDown
    case rateLimited(RateLimitDecision, what: String)
    /// A connection parameter of the endpoint URL (`?teamId=`, `?tools=`) the gateway cannot serve.
    case invalidSessionParameter(name: String, expected: String)

    package var description: String {
        switch self {
        case .originNotAllowed(let origin): "origin \(origin) is not allowed"
        case .notAcceptable(let detail): "Not Acceptable: \(detail)"
        case .unsupportedMediaType: "Content-Type must be application/json"
        case .missingSessionID: "Bad Request: Missing session ID"
        case .sessionNotFound: "Session not found"
        case .unsupportedProtocolVersion(let version):
            "Bad Request: Unsupported protocol version: \(version) (supported: \(MCPProtocolVersion.supportedList))"
        case .malformedMessage(let error): error.error.message
        case .batchNotAllowed: "Bad Request: batches are allowed only in sessions negotiated at 2025-03-26"
        case .tooManySessions(let limit): "the gateway holds its maximum of \(limit) sessions; retry shortly"
        case .streamAlreadyOpen: "Conflict: this session already has an open GET stream"
        case .tooManyStreams(let limit): "Conflict: this session already has \(limit) open streams"
        case .storeUnavailable: "the session store is unavailable; retry shortly"
        case .shuttingDown: "the gateway is shutting down; retry on another replica"
        case .rateLimited(let decision, let what):
            "rate limit reached: \(decision.limit) \(what) per window; retry in \(decision.retryAfter.roundedUpSeconds) s"
        case .invalidSessionParameter(let name, let expected):
            "Bad Request: the endpoint URL's \(name) must be \(expected)"
        }
    }

    /// The HTTP answer. The body is a JSON-RPC error with a null id, which both SDKs surface to the caller.
    package var response: HTTPResponse {
        let (status, code): (HTTPStatus, Int) =
            switch self {
            case .originNotAllowed: (.forbidden, JSONRPCError.Code.invalidRequest)
            case .notAcceptable: (.notAcceptable, JSONRPCError.Code.invalidRequest)
            case .unsupportedMediaType: (.unsupportedMediaType, JSONRPCError.Code.invalidRequest)
            case .missingSessionID: (.badRequest, JSONRPCError.Code.invalidRequest)
            case .sessionNotFound: (.notFound, JSONRPCError.Code.invalidRequest)
            case .unsupportedProtocolVersion: (.badRequest, JSONRPCError.Code.invalidRequest)
            case .malformedMessage(let error): (.badRequest, error.error.code)
            case .batchNotAllowed, .invalidSessionParameter: (.badRequest, JSONRPCError.Code.invalidRequest)
            case .tooManySessions, .storeUnavailable, .shuttingDown:
                (.serviceUnavailable, JSONRPCError.Code.internalError)
            case .streamAlreadyOpen, .tooManyStreams: (.conflict, JSONRPCError.Code.invalidRequest)
            case .rateLimited: (.tooManyRequests, -32000)
            }
        var headers = HTTPHeaders()
        switch self {
        case .tooManySessions, .storeUnavailable, .shuttingDown:
            headers.add(name: "Retry-After", value: "1")
        case .rateLimited(let decision, _):
            // RateLimit-* as in draft-ietf-httpapi-ratelimit-headers; Retry-After as in RFC 9110 §10.2.3.
            headers.add(name: "Retry-After", value: String(decision.retryAfter.roundedUpSeconds))
            headers.add(name: "RateLimit-Limit", value: String(decision.limit))
            headers.add(name: "RateLimit-Remaining", value: String(decision.remaining))
            headers.add(name: "RateLimit-Reset", value: String(decision.resetAfter.roundedUpSeconds))
        default:
            break
        }
        let body = JSONRPCMessage.errorResponse(id: nil, error: JSONRPCError(code: code, message: description))
        return .json(status, body.serialized(), headers: headers)
    }
}
