/// What a running request can do besides returning its result: report progress, log to the client, and see the
/// session it belongs to. Cancellation arrives as Swift task cancellation.
package struct MCPRequestContext: Sendable {
    package let session: MCPSession
    package let requestID: JSONRPCID
    /// The client's `_meta.progressToken`; progress is reported only when there is one (MCP §Progress).
    package let progressToken: JSONValue?
    /// The request's `_meta`, for trace context and other extensions.
    package let meta: JSONObject?
    private let emit: @Sendable (JSONRPCMessage) -> Void

    /// - Parameter emit: Where messages related to this request go (its own stream, or the session's).
    package init(session: MCPSession, requestID: JSONRPCID, progressToken: JSONValue?, meta: JSONObject?,
                 emit: @escaping @Sendable (JSONRPCMessage) -> Void) {
        self.session = session
        self.requestID = requestID
        self.progressToken = progressToken
        self.meta = meta
        self.emit = emit
    }

    /// Sends `notifications/progress` if the client asked for progress and the request is still running.
    package func reportProgress(_ progress: Double, total: Double? = nil, message: String? = nil) {
        guard let progressToken, session.isInFlight(requestID) else { return }
        var params: JSONObject = ["progressToken": progressToken, "progress": .double(progress)]
        if let total { params["total"] = .double(total) }
        if let message, session.protocolVersion ?? .latest >= .v2025_03_26 { params["message"] = .string(message) }
        emit(.notification(method: "notifications/progress", params: .object(params)))
    }

    /// Sends `notifications/message` about this request if the client wants messages of this severity.
    package func log(_ level: MCPLogLevel, logger: String, data: JSONValue) {
        guard level >= session.logLevel, session.isInFlight(requestID) else { return }
        emit(.notification(method: "notifications/message",
                           params: ["level": .string(level.rawValue), "logger": .string(logger), "data": data]))
    }
}
