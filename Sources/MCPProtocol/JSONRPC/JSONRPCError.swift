/// A JSON-RPC 2.0 error object (§5.1): what a client sees when a request fails at the protocol level.
///
/// Tool failures are not JSON-RPC errors in MCP; they are results with `isError: true`. This type covers framing,
/// routing and parameter failures, and server-defined codes for the rest.
package struct JSONRPCError: Error, Hashable, Sendable {
    /// The error codes JSON-RPC 2.0 §5.1 predefines.
    package enum Code {
        /// The body is not JSON.
        package static let parseError = -32700
        /// JSON, but not a valid JSON-RPC message.
        package static let invalidRequest = -32600
        /// No such method, or the capability behind it was not advertised.
        package static let methodNotFound = -32601
        /// The method exists but its params are wrong.
        package static let invalidParams = -32602
        /// The server failed; the message must not reveal why.
        package static let internalError = -32603
    }

    /// The error code: one of ``Code`` or a server-defined one.
    package var code: Int
    /// A short sentence for the client.
    package var message: String
    /// Structured detail, such as the supported versions when `initialize` names an unknown one.
    package var data: JSONValue?

    /// An error with any code; use it for server-defined codes such as MCP's -32002 (resource not found).
    package init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// The error object in a received error response, or `nil` unless `value` is an object with an integer `code`
    /// and a string `message` (JSON-RPC 2.0 §5.1).
    package init?(_ value: JSONValue) {
        guard case .object(let object) = value, let code = object["code"], case .integer(let integer) = code,
            let code = Int(exactly: integer), case .string(let message)? = object["message"]
        else { return nil }
        self.init(code: code, message: message, data: object["data"])
    }

    /// -32700: the body is not JSON. `detail` says where, such as a ``JSONParseError`` description.
    package static func parseError(_ detail: String? = nil, data: JSONValue? = nil) -> JSONRPCError {
        JSONRPCError(code: Code.parseError, message: compose("Parse error", detail), data: data)
    }

    /// -32600: JSON, but not a valid request (wrong `jsonrpc`, missing `method`, a batch where none is allowed).
    package static func invalidRequest(_ detail: String? = nil, data: JSONValue? = nil) -> JSONRPCError {
        JSONRPCError(code: Code.invalidRequest, message: compose("Invalid Request", detail), data: data)
    }

    /// -32601: the method does not exist or is not offered in this session.
    package static func methodNotFound(_ detail: String? = nil, data: JSONValue? = nil) -> JSONRPCError {
        JSONRPCError(code: Code.methodNotFound, message: compose("Method not found", detail), data: data)
    }

    /// -32602: the params do not fit the method (schema violation, unknown tool, bad cursor).
    package static func invalidParams(_ detail: String? = nil, data: JSONValue? = nil) -> JSONRPCError {
        JSONRPCError(code: Code.invalidParams, message: compose("Invalid params", detail), data: data)
    }

    /// -32603: the server failed. Keep `detail` free of internals (hosts, upstream bodies, keys).
    package static func internalError(_ detail: String? = nil, data: JSONValue? = nil) -> JSONRPCError {
        JSONRPCError(code: Code.internalError, message: compose("Internal error", detail), data: data)
    }

    /// The error object as JSON: `{"code":…,"message":…}` plus `data` when present.
    package var jsonValue: JSONValue {
        var object: JSONObject = ["code": .integer(Int64(code)), "message": .string(message)]
        if let data {
            object["data"] = data
        }
        return .object(object)
    }

    /// Appends the error object as compact JSON.
    package func append(to bytes: inout [UInt8]) {
        JSONSerializer.appendLiteral(#"{"code":"#, to: &bytes)
        JSONSerializer.appendInteger(Int64(code), to: &bytes)
        JSONSerializer.appendLiteral(#","message":"#, to: &bytes)
        JSONSerializer.appendString(message, to: &bytes)
        if let data {
            JSONSerializer.appendLiteral(#","data":"#, to: &bytes)
            JSONSerializer.append(data, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private static func compose(_ title: String, _ detail: String?) -> String {
        guard let detail, !detail.isEmpty else { return title }
        return "\(title): \(detail)"
    }
}

// MARK: - CustomStringConvertible

extension JSONRPCError: CustomStringConvertible {
    package var description: String {
        "JSON-RPC error \(code): \(message)"
    }
}
