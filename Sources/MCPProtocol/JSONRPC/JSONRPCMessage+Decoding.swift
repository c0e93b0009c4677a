extension JSONRPCMessage {
    /// Classifies a parsed JSON value as a request, notification, response or error response.
    ///
    /// Every failure is -32600 Invalid Request. The id is read first, so a failure after it can be answered to
    /// the right request; an id of the wrong type (a fraction, boolean, object…) cannot be echoed and gets `null`.
    /// Members other than the JSON-RPC ones are ignored, as JSON-RPC leaves them undefined rather than forbidden.
    package init(_ value: JSONValue) throws(JSONRPCDecodingError) {
        guard case .object(let object) = value else {
            throw JSONRPCDecodingError(id: nil, error: .invalidRequest("a message must be a JSON object"))
        }
        let idMember = object["id"]
        let id: JSONRPCID?
        switch idMember {
        case nil, .null?:
            id = nil
        case let member?:
            guard let readable = JSONRPCID(member) else {
                throw JSONRPCDecodingError(id: nil, error: .invalidRequest("id must be a string or an integer"))
            }
            id = readable
        }
        func invalid(_ detail: String) -> JSONRPCDecodingError {
            JSONRPCDecodingError(id: id, error: .invalidRequest(detail))
        }

        guard case .string("2.0")? = object["jsonrpc"] else { throw invalid(#"jsonrpc must be "2.0""#) }

        if let methodMember = object["method"] {
            guard case .string(let method) = methodMember else { throw invalid("method must be a string") }
            guard object["result"] == nil, object["error"] == nil else {
                throw invalid("a request cannot carry result or error")
            }
            let params: JSONValue?
            switch object["params"] {
            // An explicit null counts as absent, as in the Python SDK: it carries no parameters either way.
            case nil, .null?: params = nil
            case let structured? where structured.arrayValue != nil || structured.objectValue != nil:
                params = structured
            default: throw invalid("params must be an object or an array")
            }
            if idMember == nil {
                self = .notification(method: method, params: params)
            } else if let id {
                self = .request(id: id, method: method, params: params)
            } else {
                // MCP: a request id is never null; JSON-RPC 2.0 discourages it because null means "unknown id".
                throw invalid("id must not be null")
            }
            return
        }

        switch (object["result"], object["error"]) {
        case (let result?, nil):
            guard let id else { throw invalid("a response needs a string or integer id") }
            self = .response(id: id, result: result)
        case (nil, let errorMember?):
            guard let error = JSONRPCError(errorMember) else {
                throw invalid("error must be an object with an integer code and a string message")
            }
            self = .errorResponse(id: id, error: error)
        case (.some, .some):
            throw invalid("a response cannot carry both result and error")
        case (nil, nil):
            throw invalid("method is missing")
        }
    }

    /// Parses one message from a request body. A JSON array is rejected with -32600, because batches exist only in
    /// protocol version 2025-03-26; use ``JSONRPCPayload/parse(bytes:maxDepth:)`` for sessions that allow them.
    ///
    /// - Throws: -32700 with id `null` for bytes that are not JSON (including nesting deeper than `maxDepth`),
    ///   -32600 for JSON that is not one valid message.
    package static func parse(
        bytes: some Collection<UInt8>,
        maxDepth: Int = JSONParser.defaultMaxDepth
    ) throws(JSONRPCDecodingError) -> JSONRPCMessage {
        let value = try JSONRPCPayload.parseJSON(bytes: bytes, maxDepth: maxDepth)
        if case .array = value {
            throw JSONRPCDecodingError(id: nil, error: .invalidRequest("batches are not supported"))
        }
        return try JSONRPCMessage(value)
    }
}
