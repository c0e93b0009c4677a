import MCPProtocol
import Testing

@Suite("JSON value")
struct JSONValueTests {
    private struct Arguments: Codable, Equatable {
        var teamId: Int64
        var name: String
        var tags: [String]
        var limit: Double?
    }

    @Test("literals build the matching cases")
    func literals() {
        let value: JSONValue = ["n": nil, "b": true, "i": 3, "d": 2.5, "s": "x", "a": [1, "two"], "o": ["k": false]]
        #expect(value["n"] == .null)
        #expect(value["b"] == .bool(true))
        #expect(value["i"] == .integer(3))
        #expect(value["d"] == .double(2.5))
        #expect(value["s"] == .string("x"))
        #expect(value["a"] == .array([.integer(1), .string("two")]))
        #expect(value["o"] == .object(["k": .bool(false)]))
    }

    @Test("typed accessors return the payload only for their own case")
    func accessors() {
        let string: JSONValue = "s"
        #expect(string.stringValue == "s")
        #expect(string.boolValue == nil && string.int64Value == nil && string.doubleValue == nil)
        #expect(string.arrayValue == nil && string.objectValue == nil && !string.isNull)

        #expect(JSONValue.null.isNull)
        #expect(JSONValue.bool(false).boolValue == false)
        #expect(JSONValue.array([1]).arrayValue == [1])
        #expect(JSONValue.object(["a": 1]).objectValue == ["a": 1])
    }

    @Test(
        "int64Value accepts integers and integral doubles only",
        arguments: [
            (JSONValue.integer(5), Int64?(5)), (.integer(.min), .min), (.double(5.0), 5), (.double(-0.0), 0),
            (.double(5.5), nil), (.double(1e19), nil), (.string("5"), nil), (.bool(true), nil),
        ])
    func int64Value(value: JSONValue, expected: Int64?) {
        #expect(value.int64Value == expected)
    }

    @Test("doubleValue converts integers")
    func doubleValue() {
        #expect(JSONValue.integer(3).doubleValue == 3.0)
        #expect(JSONValue.double(0.25).doubleValue == 0.25)
        #expect(JSONValue.null.doubleValue == nil)
    }

    @Test("subscripts read members and elements, and nil for anything else")
    func subscripts() {
        let value: JSONValue = ["list": [10, 20], "obj": ["deep": "yes"]]
        #expect(value["list"]?[1] == 20)
        #expect(value["list"]?[2] == nil)
        #expect(value["list"]?[-1] == nil)
        #expect(value["obj"]?["deep"] == "yes")
        #expect(value["missing"] == nil)
        #expect(value[0] == nil)
        #expect(JSONValue.string("x")["a"] == nil)
    }

    @Test(
        "type names follow JSON, with one name for all numbers",
        arguments: [
            (JSONValue.null, "null"), (.bool(true), "boolean"), (.integer(1), "number"), (.double(1.5), "number"),
            (.string(""), "string"), (.array([]), "array"), (.object([:]), "object"),
        ])
    func typeNames(value: JSONValue, name: String) {
        #expect(value.typeName == name)
    }

    @Test("equality is structural for numbers but ignores object member order")
    func equality() {
        #expect(JSONValue.integer(1) != JSONValue.double(1))
        let forward: JSONValue = ["a": 1, "b": [true]]
        let backward: JSONValue = ["b": [true], "a": 1]
        #expect(forward == backward)
        #expect(forward.hashValue == backward.hashValue)
        #expect(Set([forward, backward]).count == 1)
        #expect(forward != ["a": 1, "b": [false]])
    }

    @Test("Codable values convert to and from JSON values")
    func codableBridge() throws {
        let arguments = Arguments(teamId: 9_007_199_254_740_993, name: "n", tags: ["a", "b"], limit: 0.5)
        let value = try JSONValue(encoding: arguments)
        #expect(value["teamId"] == .integer(9_007_199_254_740_993))
        #expect(value["tags"] == ["a", "b"])
        #expect(value["limit"] == 0.5)
        #expect(try value.decode(as: Arguments.self) == arguments)
    }

    @Test("JSONValue itself encodes and decodes through Codable")
    func codableConformance() throws {
        let value: JSONValue = ["a": [1, 2.5, "s", nil, true], "b": ["c": -3]]
        let wrapper: [String: JSONValue] = ["wrapped": value]
        let wrapped = try JSONValue(encoding: wrapper)
        #expect(wrapped["wrapped"] == value)
        #expect(try wrapped.decode(as: [String: JSONValue].self)["wrapped"] == value)
    }

    @Test("decoding into the wrong type throws")
    func codableMismatch() {
        #expect(throws: (any Error).self) { try JSONValue.string("x").decode(as: Int.self) }
    }
}
