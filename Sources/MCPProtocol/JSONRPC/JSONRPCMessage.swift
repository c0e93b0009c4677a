/// One JSON-RPC 2.0 message, in either direction (MCP §Base Protocol: requests, notifications, responses).
///
/// Invariants the decoder enforces and constructors should keep: `params`, when present, is an object or an array
/// (JSON-RPC §4.2; MCP itself only uses objects, which method handlers check); a request id is never null.
package enum JSONRPCMessage: Sendable, Hashable {
    /// A call that expects exactly one response with the same id.
    case request(id: JSONRPCID, method: String, params: JSONValue?)
    /// A call without an id, which is never answered, not even with an error.
    case notification(method: String, params: JSONValue?)
    /// A successful answer. MCP results are always objects (`{}` when empty), but JSON-RPC allows any value.
    case response(id: JSONRPCID, result: JSONValue)
    /// A successful answer whose result is already JSON text: a result served again and again (a tool's answer
    /// from a cached read) is serialized once and copied after that.
    case encodedResponse(id: JSONRPCID, result: EncodedJSON)
    /// A failed answer. The id is `nil` (written as `null`) when the request's id could not be read.
    case errorResponse(id: JSONRPCID?, error: JSONRPCError)

    /// The id a response to this message would carry, or that a response carries; `nil` for notifications.
    package var id: JSONRPCID? {
        switch self {
        case .request(let id, _, _), .response(let id, _), .encodedResponse(let id, _): id
        case .errorResponse(let id, _): id
        case .notification: nil
        }
    }

    /// The method of a request or notification.
    package var method: String? {
        switch self {
        case .request(_, let method, _), .notification(let method, _): method
        case .response, .encodedResponse, .errorResponse: nil
        }
    }

    /// The params of a request or notification, if it has any.
    package var params: JSONValue? {
        switch self {
        case .request(_, _, let params), .notification(_, let params): params
        case .response, .encodedResponse, .errorResponse: nil
        }
    }
}

/// A JSON value in its serialized form, written out as is.
package struct EncodedJSON: Sendable, Hashable {
    package let bytes: [UInt8]

    package init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }
}
