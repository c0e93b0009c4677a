extension JSONRPCMessage {
    /// Appends the message as compact JSON with members in the conventional order (`jsonrpc`, `id`, then the rest),
    /// writing the fixed parts as literals so a typical response costs a few bulk copies.
    package func append(to bytes: inout [UInt8]) {
        switch self {
        case .request(let id, let method, let params):
            JSONSerializer.appendLiteral(#"{"jsonrpc":"2.0","id":"#, to: &bytes)
            id.append(to: &bytes)
            JSONSerializer.appendLiteral(#","method":"#, to: &bytes)
            JSONSerializer.appendString(method, to: &bytes)
            Self.appendParams(params, to: &bytes)
        case .notification(let method, let params):
            JSONSerializer.appendLiteral(#"{"jsonrpc":"2.0","method":"#, to: &bytes)
            JSONSerializer.appendString(method, to: &bytes)
            Self.appendParams(params, to: &bytes)
        case .response(let id, let result):
            JSONSerializer.appendLiteral(#"{"jsonrpc":"2.0","id":"#, to: &bytes)
            id.append(to: &bytes)
            JSONSerializer.appendLiteral(#","result":"#, to: &bytes)
            JSONSerializer.append(result, to: &bytes)
        case .encodedResponse(let id, let result):
            JSONSerializer.appendLiteral(#"{"jsonrpc":"2.0","id":"#, to: &bytes)
            id.append(to: &bytes)
            JSONSerializer.appendLiteral(#","result":"#, to: &bytes)
            bytes.append(contentsOf: result.bytes)
        case .errorResponse(let id, let error):
            JSONSerializer.appendLiteral(#"{"jsonrpc":"2.0","id":"#, to: &bytes)
            if let id {
                id.append(to: &bytes)
            } else {
                JSONSerializer.appendLiteral("null", to: &bytes)
            }
            JSONSerializer.appendLiteral(#","error":"#, to: &bytes)
            error.append(to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// The message as compact JSON bytes, ready for a response body or an SSE `data:` line.
    package func serialized() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128)
        append(to: &bytes)
        return bytes
    }

    /// A batch of messages as one JSON array, for answering a 2025-03-26 batch request.
    package static func serializedBatch(_ messages: some Sequence<JSONRPCMessage>) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        bytes.reserveCapacity(128)
        for (position, message) in messages.enumerated() {
            if position > 0 {
                bytes.append(UInt8(ascii: ","))
            }
            message.append(to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
        return bytes
    }

    private static func appendParams(_ params: JSONValue?, to bytes: inout [UInt8]) {
        guard let params else { return }
        JSONSerializer.appendLiteral(#","params":"#, to: &bytes)
        JSONSerializer.append(params, to: &bytes)
    }
}
