import MCPProtocol
import Testing

@Suite("JSON-RPC id")
struct JSONRPCIDTests {
    @Test(
        "only strings and integers are ids",
        arguments: [
            (JSONValue.string("7"), JSONRPCID?.some(.string("7"))), (.integer(7), .integer(7)), (.double(7), nil),
            (.double(7.5), nil), (.null, nil), (.bool(true), nil), (.array([1]), nil), (.object([:]), nil),
        ])
    func fromJSON(value: JSONValue, expected: JSONRPCID?) {
        #expect(JSONRPCID(value) == expected)
    }

    @Test("a string id and a number id with the same digits differ")
    func typeMatters() {
        #expect(JSONRPCID.string("1") != JSONRPCID.integer(1))
        #expect(Set<JSONRPCID>(["1", 1]).count == 2)
    }

    @Test(
        "ids write back as the JSON they came from",
        arguments: [
            (JSONRPCID.string("1"), #""1""#), (.integer(1), "1"), (.integer(-42), "-42"), (.string("a\"b"), #""a\"b""#),
        ])
    func serialization(id: JSONRPCID, expected: String) {
        var bytes: [UInt8] = []
        id.append(to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
        #expect(id.description == expected)
        #expect(JSONRPCID(id.jsonValue) == id)
    }
}
