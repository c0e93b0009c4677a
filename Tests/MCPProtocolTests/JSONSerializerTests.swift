import MCPProtocol
import Testing

@Suite("JSON serializer")
struct JSONSerializerTests {
    private func text(_ value: JSONValue) -> String {
        String(decoding: value.serialized(), as: UTF8.self)
    }

    @Test("output is compact and keeps member order")
    func compact() {
        let value: JSONValue = ["z": 1, "a": [true, false, nil], "m": ["nested": "x"], "e": [], "o": .object([:])]
        #expect(text(value) == #"{"z":1,"a":[true,false,null],"m":{"nested":"x"},"e":[],"o":{}}"#)
    }

    @Test(
        "strings escape quotes, backslashes and control characters only",
        arguments: [
            ("plain", #""plain""#), ("say \"hi\"", #""say \"hi\"""#), (#"C:\dir"#, #""C:\\dir""#),
            ("a/b", #""a/b""#), ("\n\r\t\u{08}\u{0C}", #""\n\r\t\b\f""#),
            ("\u{0}\u{1}\u{1F}", #""\u0000\u0001\u001f""#),
            ("\u{7F}", "\"\u{7F}\""), ("é€😀", "\"é€😀\""), ("\u{2028}", "\"\u{2028}\""), ("", #""""#),
            ("tab\there and \"q\" end", #""tab\there and \"q\" end""#),
        ])
    func strings(input: String, expected: String) {
        #expect(text(.string(input)) == expected)
    }

    @Test("escapes are found at every position around the eight-byte scan", arguments: 0..<20)
    func wordBoundaries(position: Int) {
        let prefix = String(repeating: "a", count: position)
        let suffix = String(repeating: "b", count: 19 - position)
        let cases = [("\"", #"\""#), ("\\", #"\\"#), ("\n", #"\n"#), ("\u{1F}", #"\u001f"#), ("é", "é")]
        for (special, escaped) in cases {
            #expect(text(.string(prefix + special + suffix)) == "\"" + prefix + escaped + suffix + "\"")
        }
    }

    @Test("a long text with scattered escapes survives a round trip")
    func longText() throws {
        let line = "Scenario \"Sync\" ran at 12:00 — 3 ops, path C:\\make\\runs\t✓\n"
        let value = JSONValue.string(String(repeating: line, count: 200))
        #expect(try JSONParser.parse(value.serialized()) == value)
    }

    @Test(
        "integers are exact at every size",
        arguments: [
            (Int64(0), "0"), (7, "7"), (-7, "-7"), (10, "10"), (-10, "-10"), (1_234_567_890, "1234567890"),
            (Int64.max, "9223372036854775807"), (Int64.min, "-9223372036854775808"),
        ])
    func integers(value: Int64, expected: String) {
        #expect(text(.integer(value)) == expected)
    }

    @Test(
        "doubles use the shortest form that reads back the same",
        arguments: [
            (0.1, "0.1"), (1.5, "1.5"), (-2.25, "-2.25"), (100.0, "100.0"), (1e21, "1e+21"), (1e-7, "1e-07"),
            (-0.0, "-0.0"), (.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        ])
    func doubles(value: Double, expected: String) throws {
        #expect(text(.double(value)) == expected)
        #expect(try JSONParser.parse(Array(expected.utf8)) == .double(value))
    }

    @Test(
        "non-finite doubles, which JSON cannot spell, are written as null",
        arguments: [
            Double.infinity, -Double.infinity, Double.nan,
        ])
    func nonFinite(value: Double) {
        #expect(text(.double(value)) == "null")
    }

    @Test("appending builds on what the buffer already holds")
    func appending() {
        var bytes = Array("prefix:".utf8)
        JSONSerializer.append(["a": 1], to: &bytes)
        JSONSerializer.appendString("x\"y", to: &bytes)
        JSONSerializer.appendInteger(-42, to: &bytes)
        JSONSerializer.appendDouble(0.5, to: &bytes)
        JSONSerializer.appendLiteral("null", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #"prefix:{"a":1}"x\"y"-420.5null"#)
    }

    @Test("description is the compact JSON text")
    func description() {
        let value: JSONValue = ["k": [1, 2.5, "s"]]
        #expect(value.description == #"{"k":[1,2.5,"s"]}"#)
    }

    // MARK: Round trips

    @Test(
        "parse, serialize, parse gives the same value and the same bytes",
        arguments: [
            #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"a":[1,2,{"b":null}]}}}"#,
            #"[1,-1,0,9223372036854775807,-9223372036854775808,0.5,-1.25,1e+300,2.5e-08]"#,
            #"{"s":"quote \" backslash \\ slash / newline \n tab \t nul \u0000 unit \u001f","u":"é€😀"}"#,
            #"[[],{},[[{}]],{"a":{"b":{"c":[true,false,null]}}}]"#,
            #""just a string""#, "true", "null", "-0.0", "12345678901234567890",
        ])
    func roundTrip(text: String) throws {
        let value = try JSONParser.parse(Array(text.utf8))
        let bytes = value.serialized()
        #expect(try JSONParser.parse(bytes) == value)
        #expect(try JSONParser.parse(bytes).serialized() == bytes)
    }

    @Test("escaped input comes back in canonical form")
    func canonicalForm() throws {
        let value = try JSONParser.parse(Array(#" { "a\/b" : "\u0041\u00e9\ud83d\ude00\b" } "#.utf8))
        #expect(text(value) == "{\"a/b\":\"Aé😀\\b\"}")
    }

    @Test(
        "every string of one scalar survives a round trip",
        arguments: [
            0x00, 0x08, 0x1F, 0x20, 0x22, 0x2F, 0x5C, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF,
        ] as [UInt32])
    func scalarRoundTrip(codePoint: UInt32) throws {
        let string = String(Character(try #require(Unicode.Scalar(codePoint))))
        let value = JSONValue.string(string)
        #expect(try JSONParser.parse(value.serialized()) == value)
    }
}
