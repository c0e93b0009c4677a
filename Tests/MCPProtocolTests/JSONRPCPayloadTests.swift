import MCPProtocol
import Testing

@Suite("JSON-RPC payload")
struct JSONRPCPayloadTests {
    private func parse(_ text: String) throws(JSONRPCDecodingError) -> JSONRPCPayload {
        try JSONRPCPayload.parse(bytes: Array(text.utf8))
    }

    @Test("a lone object is a single message")
    func single() throws {
        #expect(
            try parse(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)
                == .single(.request(id: 1, method: "ping", params: nil)))
    }

    @Test("an array is a batch whose elements are classified one by one")
    func batch() throws {
        let payload = try parse(
            #"""
            [{"jsonrpc":"2.0","id":1,"method":"ping"},
             {"jsonrpc":"2.0","method":"notifications/initialized"},
             1,
             {"jsonrpc":"2.0","id":"b","method":7},
             [],
             {"jsonrpc":"2.0","id":2,"result":{}}]
            """#)
        #expect(
            payload
                == .batch([
                    .success(.request(id: 1, method: "ping", params: nil)),
                    .success(.notification(method: "notifications/initialized", params: nil)),
                    .failure(JSONRPCDecodingError(id: nil, error: .invalidRequest("a message must be a JSON object"))),
                    .failure(JSONRPCDecodingError(id: "b", error: .invalidRequest("method must be a string"))),
                    .failure(JSONRPCDecodingError(id: nil, error: .invalidRequest("a message must be a JSON object"))),
                    .success(.response(id: 2, result: [:])),
                ]))
    }

    @Test("an empty batch is -32600 with a null id")
    func emptyBatch() {
        #expect(throws: JSONRPCDecodingError(id: nil, error: .invalidRequest("a batch must not be empty"))) {
            try parse(" [ ] ")
        }
    }

    @Test("a lone invalid value is thrown, not wrapped")
    func singleInvalid() {
        #expect(throws: JSONRPCDecodingError(id: 4, error: .invalidRequest("method is missing"))) {
            try parse(#"{"jsonrpc":"2.0","id":4}"#)
        }
    }

    @Test("bytes that are not JSON are -32700 with a null id")
    func parseError() throws {
        let error = try #require(throws: JSONRPCDecodingError.self) { try parse("[{]") }
        #expect(
            error
                == JSONRPCDecodingError(
                    id: nil,
                    error: .parseError(
                        "invalid JSON at byte 2: unexpected ']', expected a string object key")))
    }

    @Test("the depth limit applies to batches")
    func depth() {
        #expect(throws: JSONRPCDecodingError.self) {
            try JSONRPCPayload.parse(bytes: Array(#"[{"jsonrpc":"2.0","method":"m","params":[]}]"#.utf8), maxDepth: 2)
        }
    }
}
