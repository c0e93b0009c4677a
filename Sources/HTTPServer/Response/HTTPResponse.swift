/// A complete response: status, headers and a body sent with `Content-Length`.
///
/// The server adds `Date`, `Content-Length`, `Connection` and `X-Request-Id` itself; handlers set the rest.
package struct HTTPResponse: Sendable {
    package var status: HTTPStatus
    package var headers: HTTPHeaders
    package var body: [UInt8]

    package init(status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response carrying JSON bytes.
    package static func json(_ status: HTTPStatus = .ok, _ body: [UInt8], headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        headers.add(name: "Content-Type", value: "application/json")
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    /// A response carrying plain text.
    package static func text(_ status: HTTPStatus = .ok, _ body: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(body.utf8))
    }

    /// The small JSON error body every refusal uses: `{"error":"payload_too_large","message":"…"}`.
    ///
    /// - Parameters:
    ///   - code: A stable snake_case identifier clients can branch on.
    ///   - message: A sentence a person can act on; it must not contain secrets or internals.
    package static func error(
        _ status: HTTPStatus, code: String, message: String, headers: HTTPHeaders = HTTPHeaders()
    ) -> HTTPResponse {
        var body: [UInt8] = []
        body.reserveCapacity(32 + code.utf8.count + message.utf8.count)
        body.append(contentsOf: #"{"error":"#.utf8)
        JSONText.appendString(code, to: &body)
        body.append(contentsOf: #","message":"#.utf8)
        JSONText.appendString(message, to: &body)
        body.append(UInt8(ascii: "}"))
        return .json(status, body, headers: headers)
    }
}

/// The status line and headers of a streamed response, whose body follows in pieces.
package struct HTTPResponseHead: Sendable {
    package var status: HTTPStatus
    package var headers: HTTPHeaders

    package init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.headers = headers
    }
}
