/// A request body that may be a JSON-RPC batch (JSON-RPC 2.0 §6), for sessions negotiated at 2025-03-26, the only
/// MCP version that allows batches. Whether to accept one is the caller's decision, made from the session.
package enum JSONRPCPayload: Sendable, Hashable {
    /// A lone message.
    case single(JSONRPCMessage)
    /// A non-empty array. Each element is classified on its own, because JSON-RPC answers an invalid element with
    /// its own error response and still serves the rest.
    case batch([Result<JSONRPCMessage, JSONRPCDecodingError>])

    /// Parses a body that is either one message or a batch.
    ///
    /// - Throws: -32700 with id `null` for bytes that are not JSON, -32600 for an empty array or a lone value that
    ///   is not a valid message.
    package static func parse(
        bytes: some Collection<UInt8>,
        maxDepth: Int = JSONParser.defaultMaxDepth
    ) throws(JSONRPCDecodingError) -> JSONRPCPayload {
        let value = try parseJSON(bytes: bytes, maxDepth: maxDepth)
        guard case .array(let elements) = value else {
            return .single(try JSONRPCMessage(value))
        }
        guard !elements.isEmpty else {
            throw JSONRPCDecodingError(id: nil, error: .invalidRequest("a batch must not be empty"))
        }
        return .batch(
            elements.map { element in
                Result { () throws(JSONRPCDecodingError) in try JSONRPCMessage(element) }
            })
    }

    /// Parses the JSON text, turning a syntax error into -32700 with id `null`, since no id can be read from it.
    static func parseJSON(bytes: some Collection<UInt8>, maxDepth: Int) throws(JSONRPCDecodingError) -> JSONValue {
        do {
            return try JSONParser.parse(bytes, maxDepth: maxDepth)
        } catch {
            throw JSONRPCDecodingError(id: nil, error: .parseError(error.description))
        }
    }
}
