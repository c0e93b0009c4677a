import MCPProtocol
import Testing

@Suite("JSON object")
struct JSONObjectTests {
    private func makeObject(count: Int) -> JSONObject {
        var object = JSONObject()
        for position in 0..<count {
            object["key\(position)"] = .integer(Int64(position))
        }
        return object
    }

    @Test("members keep insertion order")
    func insertionOrder() {
        var object: JSONObject = ["jsonrpc": "2.0", "id": 1]
        object["result"] = [:]
        #expect(object.keys == ["jsonrpc", "id", "result"])
        #expect(object.values == ["2.0", 1, .object([:])])
        #expect(object.map(\.key) == ["jsonrpc", "id", "result"])
        #expect(object[1].key == "id" && object[1].value == 1)
    }

    @Test("assigning an existing key replaces the value in place")
    func replaceKeepsPosition() {
        var object: JSONObject = ["a": 1, "b": 2, "c": 3]
        object["b"] = "two"
        #expect(object.keys == ["a", "b", "c"])
        #expect(object["b"] == "two")
        #expect(object.count == 3)
    }

    @Test("assigning nil removes the member; removing a missing key does nothing")
    func removal() {
        var object: JSONObject = ["a": 1, "b": 2, "c": 3]
        object["b"] = nil
        #expect(object.keys == ["a", "c"])
        #expect(object.removeValue(forKey: "a") == 1)
        #expect(object.removeValue(forKey: "zzz") == nil)
        #expect(object.keys == ["c"])
    }

    @Test("a repeated key in a literal keeps its first position and its last value")
    func literalDuplicates() {
        let object: JSONObject = ["a": 1, "b": 2, "a": 3]
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == 3)
    }

    @Test("lookup stays correct across the switch to a hash index", arguments: [15, 16, 17, 100])
    func largeObjects(count: Int) {
        var object = makeObject(count: count)
        for position in 0..<count {
            #expect(object["key\(position)"] == .integer(Int64(position)))
        }
        #expect(object["key\(count)"] == nil)

        object["key0"] = "replaced"
        #expect(object.keys.first == "key0" && object["key0"] == "replaced")

        object["key3"] = nil
        #expect(object.count == count - 1)
        #expect(object["key3"] == nil)
        #expect(object["key4"] == 4)
        #expect(object["key\(count - 1)"] == .integer(Int64(count - 1)))

        object["added"] = true
        #expect(object.keys.last == "added" && object["added"] == true)
    }

    @Test("shrinking below the index threshold keeps lookups working")
    func shrink() {
        var object = makeObject(count: 20)
        for position in 0..<15 {
            object["key\(position)"] = nil
        }
        #expect(object.keys == ["key15", "key16", "key17", "key18", "key19"])
        #expect(object["key17"] == 17)
        object["key17"] = 0
        #expect(object["key17"] == 0)
    }

    @Test("equality and hashing ignore member order but not content")
    func equality() {
        let forward = makeObject(count: 30)
        var backward = JSONObject()
        for (key, value) in forward.reversed() {
            backward[key] = value
        }
        #expect(forward == backward)
        #expect(forward.hashValue == backward.hashValue)

        var changed = backward
        changed["key7"] = 8
        #expect(forward != changed)
        #expect(JSONObject() != ["a": nil])
        #expect(["a": 1] as JSONObject != ["b": 1] as JSONObject)
    }
}
