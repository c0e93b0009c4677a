import MCPProtocol
import Testing

@Suite("JSON-RPC message")
struct JSONRPCMessageTests {
    private func parse(_ text: String) throws(JSONRPCDecodingError) -> JSONRPCMessage {
        try JSONRPCMessage.parse(bytes: Array(text.utf8))
    }

    private func text(_ message: JSONRPCMessage) -> String {
        String(decoding: message.serialized(), as: UTF8.self)
    }

    // MARK: Classification

    @Test("a request keeps its id, method and params")
    func request() throws {
        let message = try parse(#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"x"}}"#)
        #expect(message == .request(id: 7, method: "tools/call", params: ["name": "x"]))
        #expect(message.id == 7 && message.method == "tools/call" && message.params == ["name": "x"])
    }

    @Test("a message without id is a notification")
    func notification() throws {
        let message = try parse(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        #expect(message == .notification(method: "notifications/initialized", params: nil))
        #expect(message.id == nil)
    }

    @Test(
        "params may be an object, an array, absent, or null (read as absent)",
        arguments: [
            (#","params":{"a":1}"#, ["a": 1]), (#","params":[1,2]"#, [1, 2]), ("", nil), (#","params":null"#, nil),
        ] as [(String, JSONValue?)])
    func params(member: String, expected: JSONValue?) throws {
        let message = try parse(#"{"jsonrpc":"2.0","id":1,"method":"ping""# + member + "}")
        #expect(message == .request(id: 1, method: "ping", params: expected))
    }

    @Test("responses and error responses are recognised")
    func responses() throws {
        #expect(try parse(#"{"jsonrpc":"2.0","id":"a","result":{}}"#) == .response(id: "a", result: [:]))
        #expect(try parse(#"{"jsonrpc":"2.0","id":3,"result":null}"#) == .response(id: 3, result: nil))
        #expect(
            try parse(#"{"jsonrpc":"2.0","id":3,"error":{"code":-32601,"message":"nope","data":[1]}}"#)
                == .errorResponse(id: 3, error: JSONRPCError(code: -32601, message: "nope", data: [1])))
        #expect(
            try parse(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad"}}"#)
                == .errorResponse(id: nil, error: JSONRPCError(code: -32700, message: "bad")))
        // 2025-11-25 lets error responses omit the id.
        #expect(
            try parse(#"{"jsonrpc":"2.0","error":{"code":1,"message":"m"}}"#)
                == .errorResponse(id: nil, error: JSONRPCError(code: 1, message: "m")))
    }

    @Test("unknown members are ignored and member order does not matter")
    func extraMembers() throws {
        let message = try parse(#"{"method":"ping","extra":{"x":1},"id":"z","jsonrpc":"2.0"}"#)
        #expect(message == .request(id: "z", method: "ping", params: nil))
    }

    @Test(
        "ids keep their JSON type",
        arguments: [
            (#""1""#, JSONRPCID.string("1")), ("1", .integer(1)), ("-5", .integer(-5)), (#""""#, .string("")),
            ("9223372036854775807", .integer(.max)), (#""abc-123""#, .string("abc-123")),
        ])
    func idTypes(idText: String, expected: JSONRPCID) throws {
        let message = try parse(#"{"jsonrpc":"2.0","id":"# + idText + #","method":"ping"}"#)
        #expect(message.id == expected)
        let response = JSONRPCMessage.response(id: try #require(message.id), result: [:])
        #expect(text(response) == #"{"jsonrpc":"2.0","id":"# + idText + #","result":{}}"#)
    }

    // MARK: Invalid messages

    @Test(
        "invalid envelopes are -32600, answered to the id when it could be read",
        arguments: [
            ("[1]", nil as JSONRPCID?, "batches are not supported"),
            ("1", nil, "a message must be a JSON object"),
            (#""ping""#, nil, "a message must be a JSON object"),
            (#"{"id":1,"method":"ping"}"#, 1, #"jsonrpc must be "2.0""#),
            (#"{"jsonrpc":"1.0","id":"a","method":"ping"}"#, "a", #"jsonrpc must be "2.0""#),
            (#"{"jsonrpc":2.0,"id":1,"method":"ping"}"#, 1, #"jsonrpc must be "2.0""#),
            (#"{"jsonrpc":"2.0","id":1,"method":5}"#, 1, "method must be a string"),
            (#"{"jsonrpc":"2.0","id":1,"method":null}"#, 1, "method must be a string"),
            (#"{"jsonrpc":"2.0","id":1}"#, 1, "method is missing"),
            (#"{"jsonrpc":"2.0"}"#, nil, "method is missing"),
            (#"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#, nil, "id must be a string or an integer"),
            (#"{"jsonrpc":"2.0","id":1.0,"method":"ping"}"#, nil, "id must be a string or an integer"),
            (#"{"jsonrpc":"2.0","id":1e400,"method":"ping"}"#, nil, "<parse>"),
            (#"{"jsonrpc":"2.0","id":true,"method":"ping"}"#, nil, "id must be a string or an integer"),
            (#"{"jsonrpc":"2.0","id":[1],"method":"ping"}"#, nil, "id must be a string or an integer"),
            (#"{"jsonrpc":"2.0","id":{},"method":"ping"}"#, nil, "id must be a string or an integer"),
            (#"{"jsonrpc":"2.0","id":99999999999999999999,"method":"ping"}"#, nil, "id must be a string or an integer"),
            (#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#, nil, "id must not be null"),
            (#"{"jsonrpc":"2.0","id":1,"method":"ping","params":"x"}"#, 1, "params must be an object or an array"),
            (#"{"jsonrpc":"2.0","id":1,"method":"ping","params":3}"#, 1, "params must be an object or an array"),
            (#"{"jsonrpc":"2.0","method":"n","params":true}"#, nil, "params must be an object or an array"),
            (#"{"jsonrpc":"2.0","id":1,"method":"ping","result":{}}"#, 1, "a request cannot carry result or error"),
            (
                #"{"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"m"}}"#, 1,
                "a response cannot carry both result and error"
            ),
            (#"{"jsonrpc":"2.0","result":{}}"#, nil, "a response needs a string or integer id"),
            (#"{"jsonrpc":"2.0","id":null,"result":{}}"#, nil, "a response needs a string or integer id"),
            (
                #"{"jsonrpc":"2.0","id":1,"error":"boom"}"#, 1,
                "error must be an object with an integer code and a string message"
            ),
            (
                #"{"jsonrpc":"2.0","id":1,"error":{"code":"x","message":"m"}}"#, 1,
                "error must be an object with an integer code and a string message"
            ),
            (
                #"{"jsonrpc":"2.0","id":1,"error":{"code":1.5,"message":"m"}}"#, 1,
                "error must be an object with an integer code and a string message"
            ),
            (
                #"{"jsonrpc":"2.0","id":1,"error":{"code":1}}"#, 1,
                "error must be an object with an integer code and a string message"
            ),
        ])
    func invalidRequests(body: String, id: JSONRPCID?, detail: String) {
        let expected =
            detail == "<parse>"
            ? JSONRPCDecodingError(id: nil, error: .parseError("invalid JSON at byte 22: number is out of range"))
            : JSONRPCDecodingError(id: id, error: .invalidRequest(detail))
        #expect(throws: expected) { try parse(body) }
    }

    @Test(
        "bytes that are not JSON are -32700 with a null id",
        arguments: [
            "", "{", #"{"jsonrpc":"2.0","id":1,"method":"ping",}"#, "\u{FEFF}{}", "nul", #"{"id":1}x"#,
        ])
    func parseErrors(body: String) throws {
        let error = try #require(throws: JSONRPCDecodingError.self) { try parse(body) }
        #expect(error.id == nil)
        #expect(error.error.code == JSONRPCError.Code.parseError)
        #expect(error.error.message.hasPrefix("Parse error: invalid JSON at byte "))
        #expect(error.response == .errorResponse(id: nil, error: error.error))
    }

    @Test("nesting deeper than the limit is a parse error, not a crash")
    func depthLimit() throws {
        let params = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        let body = #"{"jsonrpc":"2.0","id":1,"method":"m","params":"# + params + "}"
        #expect(try JSONRPCMessage.parse(bytes: Array(body.utf8), maxDepth: 11).method == "m")
        let error = try #require(throws: JSONRPCDecodingError.self) {
            try JSONRPCMessage.parse(bytes: Array(body.utf8), maxDepth: 10)
        }
        #expect(error.error.code == -32700 && error.id == nil)
    }

    @Test("the decoding error's response echoes the id")
    func decodingErrorResponse() throws {
        let error = try #require(throws: JSONRPCDecodingError.self) {
            try parse(#"{"jsonrpc":"2.0","id":"x","method":1}"#)
        }
        #expect(
            text(error.response)
                == #"{"jsonrpc":"2.0","id":"x","error":{"code":-32600,"#
                + #""message":"Invalid Request: method must be a string"}}"#
        )
        #expect(error.description == #"JSON-RPC error -32600: Invalid Request: method must be a string (id: "x")"#)
    }

    // MARK: Serialization

    @Test(
        "each kind serializes compactly in conventional member order",
        arguments: [
            (JSONRPCMessage.response(id: 1, result: [:]), #"{"jsonrpc":"2.0","id":1,"result":{}}"#),
            (
                .response(id: "1", result: ["content": [], "isError": false]),
                #"{"jsonrpc":"2.0","id":"1","result":{"content":[],"isError":false}}"#
            ),
            (.request(id: 2, method: "ping", params: nil), #"{"jsonrpc":"2.0","id":2,"method":"ping"}"#),
            (
                .request(id: "r", method: "tools/call", params: ["name": "x"]),
                #"{"jsonrpc":"2.0","id":"r","method":"tools/call","params":{"name":"x"}}"#
            ),
            (
                .notification(method: "notifications/progress", params: ["progress": 0.5]),
                #"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":0.5}}"#
            ),
            (
                .notification(method: "notifications/initialized", params: nil),
                #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#
            ),
            (
                .errorResponse(id: nil, error: .parseError()),
                #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#
            ),
            (
                .errorResponse(id: 5, error: .invalidParams("Unknown tool: x", data: ["tool": "x"])),
                #"{"jsonrpc":"2.0","id":5,"error":{"code":-32602,"#
                    + #""message":"Invalid params: Unknown tool: x","data":{"tool":"x"}}}"#
            ),
        ])
    func serialization(message: JSONRPCMessage, expected: String) throws {
        #expect(text(message) == expected)
        #expect(try parse(expected) == message)
    }

    @Test("strings in messages are escaped")
    func escaping() {
        let message = JSONRPCMessage.request(id: "a\"b", method: "we\\ird\n", params: nil)
        #expect(text(message) == #"{"jsonrpc":"2.0","id":"a\"b","method":"we\\ird\n"}"#)
    }

    @Test("a batch serializes as a JSON array")
    func batchSerialization() {
        let bytes = JSONRPCMessage.serializedBatch([
            .response(id: 1, result: [:]), .errorResponse(id: nil, error: .invalidRequest()),
        ])
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == #"[{"jsonrpc":"2.0","id":1,"result":{}},"#
                + #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request"}}]"#
        )
        #expect(JSONRPCMessage.serializedBatch([]) == Array("[]".utf8))
    }

    @Test("appending adds to an existing buffer")
    func appending() {
        var bytes = Array("data: ".utf8)
        JSONRPCMessage.response(id: 1, result: [:]).append(to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #"data: {"jsonrpc":"2.0","id":1,"result":{}}"#)
    }
}
