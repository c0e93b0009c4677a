/// A parsed request line and header section.
package struct HTTPRequestHead: Sendable {
    /// How the message body is delimited (RFC 9112 §6.3).
    package enum BodyFraming: Sendable, Equatable {
        case none
        case contentLength(Int)
        case chunked
    }

    package var method: HTTPMethod
    /// The request-target exactly as sent.
    package var target: String
    /// The target's path, without the query string.
    package var path: String
    /// The raw query string after `?`, still percent-encoded, or nil when the target has none.
    package var query: String?
    package var version: HTTPVersion
    package var headers: HTTPHeaders
    package var bodyFraming: BodyFraming

    package init(
        method: HTTPMethod,
        target: String,
        version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = HTTPHeaders(),
        bodyFraming: BodyFraming = .none
    ) {
        self.method = method
        self.target = target
        if let questionMark = target.firstIndex(of: "?") {
            path = String(target[..<questionMark])
            query = String(target[target.index(after: questionMark)...])
        } else {
            path = target
            query = nil
        }
        self.version = version
        self.headers = headers
        self.bodyFraming = bodyFraming
    }

    /// Whether the connection may carry another request after this one (RFC 9112 §9.3): HTTP/1.1 persists unless
    /// `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    package var isKeepAlive: Bool {
        if version == .http1_1 {
            return !headers.containsToken("close", in: "Connection")
        }
        return headers.containsToken("keep-alive", in: "Connection")
    }

    /// Whether the client waits for `100 Continue` before sending its body (RFC 9110 §10.1.1).
    package var expectsContinue: Bool {
        guard version == .http1_1, bodyFraming != .none, let expect = headers["Expect"] else { return false }
        return expect.equalsIgnoringASCIICase("100-continue")
    }
}
