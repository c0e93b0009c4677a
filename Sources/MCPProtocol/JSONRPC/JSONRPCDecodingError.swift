/// Why an incoming payload is not an acceptable JSON-RPC message: the error to answer with, and the id to answer
/// to when it could be read (JSON-RPC 2.0 §5: otherwise the response id is `null`).
package struct JSONRPCDecodingError: Error, Hashable, Sendable {
    /// The id of the offending request, if it was readable.
    package var id: JSONRPCID?
    /// -32700 for bytes that are not JSON, -32600 for JSON that is not a valid message.
    package var error: JSONRPCError

    /// A decoding failure answered with `error`, addressed to `id`.
    package init(id: JSONRPCID?, error: JSONRPCError) {
        self.id = id
        self.error = error
    }

    /// The error response that answers the offending payload.
    package var response: JSONRPCMessage {
        .errorResponse(id: id, error: error)
    }
}

// MARK: - CustomStringConvertible

extension JSONRPCDecodingError: CustomStringConvertible {
    package var description: String {
        "\(error.description) (id: \(id?.description ?? "null"))"
    }
}
