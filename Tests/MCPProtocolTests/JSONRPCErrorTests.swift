import MCPProtocol
import Testing

@Suite("JSON-RPC error")
struct JSONRPCErrorTests {
    @Test(
        "standard constructors use the JSON-RPC 2.0 codes and messages",
        arguments: [
            (JSONRPCError.parseError(), -32700, "Parse error"), (.invalidRequest(), -32600, "Invalid Request"),
            (.methodNotFound(), -32601, "Method not found"), (.invalidParams(), -32602, "Invalid params"),
            (.internalError(), -32603, "Internal error"),
            (.methodNotFound("tools/delete"), -32601, "Method not found: tools/delete"),
            (.invalidParams(""), -32602, "Invalid params"),
        ])
    func constructors(error: JSONRPCError, code: Int, message: String) {
        #expect(error.code == code)
        #expect(error.message == message)
        #expect(error.data == nil)
    }

    @Test("the code constants match the constructors")
    func codes() {
        #expect(JSONRPCError.Code.parseError == JSONRPCError.parseError().code)
        #expect(JSONRPCError.Code.invalidRequest == JSONRPCError.invalidRequest().code)
        #expect(JSONRPCError.Code.methodNotFound == JSONRPCError.methodNotFound().code)
        #expect(JSONRPCError.Code.invalidParams == JSONRPCError.invalidParams().code)
        #expect(JSONRPCError.Code.internalError == JSONRPCError.internalError().code)
    }

    @Test("server-defined codes carry their own message and data")
    func serverDefined() {
        let error = JSONRPCError(code: -32002, message: "Resource not found", data: ["uri": "make://x"])
        #expect(error.jsonValue == ["code": -32002, "message": "Resource not found", "data": ["uri": "make://x"]])
        var bytes: [UInt8] = []
        error.append(to: &bytes)
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == #"{"code":-32002,"message":"Resource not found","data":{"uri":"make://x"}}"#)
        #expect(error.description == "JSON-RPC error -32002: Resource not found")
    }

    @Test("data may be any JSON, including null")
    func nullData() {
        var bytes: [UInt8] = []
        JSONRPCError.internalError(data: .null).append(to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"code":-32603,"message":"Internal error","data":null}"#)
    }

    @Test(
        "an error object is read back from JSON only when well formed",
        arguments: [
            (["code": -1, "message": "m"] as JSONValue, JSONRPCError(code: -1, message: "m")),
            (["code": 5, "message": "m", "data": [1]] as JSONValue, JSONRPCError(code: 5, message: "m", data: [1])),
            (["code": 5.5, "message": "m"] as JSONValue, nil), (["code": "5", "message": "m"] as JSONValue, nil),
            (["message": "m"] as JSONValue, nil), (["code": 5] as JSONValue, nil),
            (["code": 5, "message": 1] as JSONValue, nil), ("error", nil),
        ] as [(JSONValue, JSONRPCError?)])
    func decoding(value: JSONValue, expected: JSONRPCError?) {
        #expect(JSONRPCError(value) == expected)
    }
}
