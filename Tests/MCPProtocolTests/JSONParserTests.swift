import MCPProtocol
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    private func parse(_ text: String, maxDepth: Int = JSONParser.defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8), maxDepth: maxDepth)
    }

    private func parseBytes(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try JSONParser.parse(bytes)
    }

    // MARK: Values

    @Test(
        "scalars parse to their cases",
        arguments: [
            ("null", JSONValue.null), ("true", .bool(true)), ("false", .bool(false)), ("0", .integer(0)),
            ("42", .integer(42)), ("-7", .integer(-7)), (#""hi""#, .string("hi")), (#""""#, .string("")),
            ("1.5", .double(1.5)), ("-0.25", .double(-0.25)), ("1e3", .double(1000)), ("2E-2", .double(0.02)),
            ("1.0", .double(1.0)), ("5e+1", .double(50)),
        ])
    func scalars(text: String, expected: JSONValue) throws {
        #expect(try parse(text) == expected)
    }

    @Test("containers parse, keeping member order")
    func containers() throws {
        let value = try parse(#"{"b":1,"a":[true,null,{"c":"d"}],"e":{}}"#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["b", "a", "e"])
        #expect(value["a"] == [true, nil, ["c": "d"]])
        #expect(value["e"] == .object([:]))
        #expect(try parse("[]") == .array([]))
        #expect(try parse("[[],[[]]]") == [[], [[]]])
    }

    @Test("whitespace around and between tokens is allowed; only space, tab, CR and LF count")
    func whitespace() throws {
        #expect(try parse(" \t\r\n{ \"a\" :\n[ 1 ,\t2 ] } \r\n") == ["a": [1, 2]])
        #expect(throws: JSONParseError.unexpectedByte(0x0C, offset: 0, expected: .value)) { try parse("\u{0C}1") }
        #expect(throws: JSONParseError.unexpectedByte(0xC2, offset: 0, expected: .value)) { try parse("\u{A0}1") }
    }

    @Test("nested objects and arrays close into the right parents")
    func nesting() throws {
        let text = #"{"a":{"b":{"c":1,"d":[{"e":2},{"f":[3,{"g":4}]}]},"h":5},"i":[[],[{}],{"j":{"k":"l"}}],"m":6}"#
        let expected: JSONValue = [
            "a": ["b": ["c": 1, "d": [["e": 2], ["f": [3, ["g": 4]]]]], "h": 5],
            "i": [[], [.object([:])], ["j": ["k": "l"]]],
            "m": 6,
        ]
        let value = try parse(text)
        #expect(value == expected)
        #expect(String(decoding: value.serialized(), as: UTF8.self) == text)
    }

    @Test("a repeated key keeps its first position and its last value")
    func duplicateKeys() throws {
        let value = try parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(value.objectValue?.keys == ["a", "b"])
        #expect(value["a"] == 3)
    }

    @Test("repeated keys are found in large objects too")
    func duplicateKeysInLargeObject() throws {
        let members = (0..<40).map { "\"k\($0 % 20)\":\($0)" }.joined(separator: ",")
        let value = try parse("{\(members)}")
        #expect(value.objectValue?.keys == (0..<20).map { "k\($0)" })
        #expect(value["k0"] == 20 && value["k19"] == 39)
    }

    @Test("large objects stay ordered and searchable")
    func largeObject() throws {
        let members = (0..<200).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let value = try parse("{\(members)}")
        let object = try #require(value.objectValue)
        #expect(object.count == 200)
        #expect(object.keys.first == "k0" && object.keys.last == "k199")
        #expect(value["k150"] == 150)
        #expect(value["k200"] == nil)
    }

    // MARK: Numbers

    @Test("integers at the Int64 limits stay exact; beyond them they become doubles")
    func integerLimits() throws {
        #expect(try parse("9223372036854775807") == .integer(.max))
        #expect(try parse("-9223372036854775808") == .integer(.min))
        #expect(try parse("9223372036854775808") == .double(0x1p63))
        #expect(try parse("-9223372036854775809") == .double(-0x1p63))
        #expect(try parse("123456789012345678901234567890") == .double(1.2345678901234568e29))
        #expect(try parse("9007199254740993") == .integer(9_007_199_254_740_993))
    }

    @Test("negative zero is the integer 0, while -0.0 keeps its sign as a double")
    func negativeZero() throws {
        #expect(try parse("-0") == .integer(0))
        let double = try #require(try parse("-0.0").doubleValue)
        #expect(double == 0 && double.sign == .minus)
    }

    @Test("doubles parse to the nearest value; underflow becomes zero")
    func doubles() throws {
        #expect(try parse("0.1") == .double(0.1))
        #expect(try parse("1.7976931348623157e308") == .double(.greatestFiniteMagnitude))
        #expect(try parse("5e-324") == .double(.leastNonzeroMagnitude))
        #expect(try parse("1e-400") == .double(0))
    }

    @Test("numbers beyond Double's range are rejected", arguments: ["1e400", "-1e400", "[1.5e309]"])
    func outOfRange(text: String) {
        #expect(throws: JSONParseError.numberOutOfRange(offset: text.hasPrefix("[") ? 1 : 0)) { try parse(text) }
    }

    @Test(
        "numbers outside the RFC 8259 grammar are rejected",
        arguments: [
            ("01", JSONParseError.invalidNumber(offset: 0)), ("-01", .invalidNumber(offset: 0)),
            ("00", .invalidNumber(offset: 0)), ("-", .invalidNumber(offset: 0)), ("-a", .invalidNumber(offset: 0)),
            ("1.", .invalidNumber(offset: 0)), ("1.e3", .invalidNumber(offset: 0)), ("1e", .invalidNumber(offset: 0)),
            ("1e+", .invalidNumber(offset: 0)), ("[2.]", .invalidNumber(offset: 1)),
            (".5", .unexpectedByte(UInt8(ascii: "."), offset: 0, expected: .value)),
            ("+1", .unexpectedByte(UInt8(ascii: "+"), offset: 0, expected: .value)),
            ("0x10", .trailingContent(offset: 1)), ("1_000", .trailingContent(offset: 1)),
            ("NaN", .unexpectedByte(UInt8(ascii: "N"), offset: 0, expected: .value)),
            ("Infinity", .unexpectedByte(UInt8(ascii: "I"), offset: 0, expected: .value)),
        ])
    func invalidNumbers(text: String, error: JSONParseError) {
        #expect(throws: error) { try parse(text) }
    }

    // MARK: Strings

    @Test(
        "every short escape decodes",
        arguments: [
            (#""\"""#, "\""), (#""\\""#, "\\"), (#""\/""#, "/"), (#""\b""#, "\u{08}"), (#""\f""#, "\u{0C}"),
            (#""\n""#, "\n"), (#""\r""#, "\r"), (#""\t""#, "\t"), (#""a\nb\tc""#, "a\nb\tc"),
        ])
    func shortEscapes(text: String, expected: String) throws {
        #expect(try parse(text) == .string(expected))
    }

    @Test(
        "\\u escapes decode, including surrogate pairs into one scalar",
        arguments: [
            (#""\u0041""#, "A"), (#""\u00e9""#, "é"), (#""\u00E9""#, "é"), (#""\u20AC""#, "€"), (#""\u0000""#, "\u{0}"),
            (#""\uD83D\uDE00""#, "😀"), (#""\ud83d\ude00!""#, "😀!"), (#""x\uDBFF\uDFFFy""#, "x\u{10FFFF}y"),
        ])
    func unicodeEscapes(text: String, expected: String) throws {
        #expect(try parse(text) == .string(expected))
    }

    @Test(
        "unpaired surrogates are rejected at their escape",
        arguments: [
            #""\uD83D""#, #""\uD83Dx""#, #""\uDE00""#, #""\uD83D\u0041""#, #""\uD83D\n""#, #""\uD83D\uD83D""#,
        ])
    func loneSurrogates(text: String) {
        #expect(throws: JSONParseError.loneSurrogate(offset: 1)) { try parse(text) }
    }

    @Test("malformed escapes are rejected", arguments: [#""\x""#, #""\u12G4""#, #""\U0041""#, #""\'""#])
    func invalidEscapes(text: String) {
        #expect(throws: JSONParseError.invalidEscape(offset: 1)) { try parse(text) }
    }

    @Test("raw UTF-8 passes through unchanged")
    func rawUTF8() throws {
        #expect(try parse("\"héllo wörld € 😀 \u{2028}\"") == .string("héllo wörld € 😀 \u{2028}"))
        #expect(try parse("{\"ключ\":\"値\"}") == ["ключ": "値"])
    }

    @Test("unescaped control characters in strings are rejected; DEL is allowed")
    func controlCharacters() throws {
        for byte in [UInt8(0x00), 0x09, 0x0A, 0x1F] {
            #expect(throws: JSONParseError.controlCharacter(offset: 2)) {
                try parseBytes([UInt8(ascii: "\""), UInt8(ascii: "a"), byte, UInt8(ascii: "\"")])
            }
        }
        #expect(try parseBytes([0x22, 0x7F, 0x22]) == .string("\u{7F}"))
    }

    @Test(
        "ill-formed UTF-8 is rejected at the offending sequence",
        arguments: [
            [0x80], [0xBF], [0xC0, 0xAF], [0xC1, 0xBF], [0xC3], [0xC3, 0x41], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80],
            [0xEF, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF],
            [0xE2, 0x82, 0x41],
        ] as [[UInt8]])
    func invalidUTF8(sequence: [UInt8]) {
        let bytes = [UInt8(ascii: "\""), UInt8(ascii: "a")] + sequence + [UInt8(ascii: "\"")]
        #expect(throws: JSONParseError.invalidUTF8(offset: 2)) { try parseBytes(bytes) }
    }

    @Test(
        "well-formed UTF-8 at the edges of each range is accepted",
        arguments: [
            [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80],
            [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
        ] as [[UInt8]])
    func validUTF8(sequence: [UInt8]) throws {
        let value = try parseBytes([UInt8(ascii: "\"")] + sequence + [UInt8(ascii: "\"")])
        #expect(value.stringValue.map { Array($0.utf8) } == sequence)
    }

    @Test("special bytes are found at every position around the eight-byte scan", arguments: 0..<20)
    func wordBoundaries(position: Int) throws {
        let prefix = String(repeating: "a", count: position)
        let suffix = String(repeating: "b", count: 19 - position)
        #expect(try parse("\"\(prefix)\\n\(suffix)\"") == .string(prefix + "\n" + suffix))
        #expect(try parse("\"\(prefix)é\(suffix)\"") == .string(prefix + "é" + suffix))
        #expect(try parse("\"\(prefix)\\\"\(suffix)\"") == .string(prefix + "\"" + suffix))
        #expect(try parse("[\"\(prefix)\",\"\(suffix)\"]") == [.string(prefix), .string(suffix)])
        let control = Array("\"\(prefix)\u{1}\(suffix)\"".utf8)
        #expect(throws: JSONParseError.controlCharacter(offset: position + 1)) { try parseBytes(control) }
        let invalid = Array("\"\(prefix)".utf8) + [0xFF] + Array("\(suffix)\"".utf8)
        #expect(throws: JSONParseError.invalidUTF8(offset: position + 1)) { try parseBytes(invalid) }
    }

    @Test("UTF-8 errors are found after an escape too")
    func invalidUTF8AfterEscape() {
        #expect(throws: JSONParseError.invalidUTF8(offset: 3)) { try parseBytes([0x22, 0x5C, 0x6E, 0xFF, 0x22]) }
    }

    @Test("a UTF-8 byte order mark is rejected, not skipped")
    func byteOrderMark() {
        #expect(throws: JSONParseError.unexpectedByte(0xEF, offset: 0, expected: .value)) {
            try parseBytes([0xEF, 0xBB, 0xBF, UInt8(ascii: "1")])
        }
    }

    // MARK: Structure errors

    @Test(
        "structural mistakes are reported with the offset where reading stopped",
        arguments: [
            ("", JSONParseError.unexpectedEnd(offset: 0)), ("   ", .unexpectedEnd(offset: 3)),
            ("[1,]", .unexpectedByte(UInt8(ascii: "]"), offset: 3, expected: .value)),
            (#"{"a":1,}"#, .unexpectedByte(UInt8(ascii: "}"), offset: 7, expected: .objectKey)),
            ("[1 2]", .unexpectedByte(UInt8(ascii: "2"), offset: 3, expected: .commaOrClosingBracket)),
            (#"{"a":1 "b":2}"#, .unexpectedByte(UInt8(ascii: "\""), offset: 7, expected: .commaOrClosingBrace)),
            (#"{"a" 1}"#, .unexpectedByte(UInt8(ascii: "1"), offset: 5, expected: .colon)),
            ("{a:1}", .unexpectedByte(UInt8(ascii: "a"), offset: 1, expected: .objectKey)),
            ("{1:1}", .unexpectedByte(UInt8(ascii: "1"), offset: 1, expected: .objectKey)),
            ("[", .unexpectedEnd(offset: 1)), ("[1", .unexpectedEnd(offset: 2)), ("[1,", .unexpectedEnd(offset: 3)),
            ("{", .unexpectedEnd(offset: 1)), (#"{"a""#, .unexpectedEnd(offset: 4)),
            (#"{"a":"#, .unexpectedEnd(offset: 5)),
            (#"{"a":1"#, .unexpectedEnd(offset: 6)), (#""abc"#, .unexpectedEnd(offset: 4)),
            (#""\"#, .unexpectedEnd(offset: 2)),
            (#""\u12"#, .unexpectedEnd(offset: 5)),
            ("1 2", .trailingContent(offset: 2)), ("{} {}", .trailingContent(offset: 3)),
            ("[]]", .trailingContent(offset: 2)),
            ("tru", .invalidLiteral(offset: 0)), ("nul", .invalidLiteral(offset: 0)),
            ("falsy", .invalidLiteral(offset: 0)),
            ("True", .unexpectedByte(UInt8(ascii: "T"), offset: 0, expected: .value)),
            ("truex", .trailingContent(offset: 4)),
            ("// c\n1", .unexpectedByte(UInt8(ascii: "/"), offset: 0, expected: .value)),
            ("[1,/* c */2]", .unexpectedByte(UInt8(ascii: "/"), offset: 3, expected: .value)),
            ("'a'", .unexpectedByte(UInt8(ascii: "'"), offset: 0, expected: .value)),
        ])
    func structuralErrors(text: String, error: JSONParseError) {
        #expect(throws: error) { try parse(text) }
    }

    // MARK: Depth

    @Test("nesting up to the limit parses; one level more is rejected", arguments: [1, 2, 16, 128, 1000])
    func depthLimit(limit: Int) throws {
        let arrays = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(try parse(arrays, maxDepth: limit).arrayValue != nil)
        let tooDeep = "[" + arrays + "]"
        #expect(throws: JSONParseError.nestingTooDeep(offset: limit, limit: limit)) {
            try parse(tooDeep, maxDepth: limit)
        }
    }

    @Test("objects count toward depth like arrays")
    func depthWithObjects() throws {
        #expect(try parse(#"{"a":[{"b":1}]}"#, maxDepth: 3)["a"]?[0]?["b"] == 1)
        #expect(throws: JSONParseError.nestingTooDeep(offset: 11, limit: 3)) {
            try parse(#"{"a":[{"b":{}}]}"#, maxDepth: 3)
        }
    }

    @Test("a depth limit of zero allows only scalars")
    func depthZero() throws {
        #expect(try parse("7", maxDepth: 0) == 7)
        #expect(throws: JSONParseError.nestingTooDeep(offset: 0, limit: 0)) { try parse("[]", maxDepth: 0) }
    }

    @Test("the default depth limit rejects a hostile bracket bomb quickly")
    func bracketBomb() {
        let bomb = Array(repeating: UInt8(ascii: "["), count: 1_000_000)
        #expect(
            throws: JSONParseError.nestingTooDeep(
                offset: JSONParser.defaultMaxDepth,
                limit: JSONParser.defaultMaxDepth)
        ) {
            try JSONParser.parse(bomb)
        }
    }

    // MARK: Inputs

    @Test("every input form gives the same value")
    func inputForms() throws {
        let text = #"{"a":[1,"x"]}"#
        let bytes = Array(text.utf8)
        let expected: JSONValue = ["a": [1, "x"]]
        #expect(try JSONParser.parse(bytes) == expected)
        #expect(try JSONParser.parse(text.utf8) == expected)
        #expect(try JSONParser.parse(bytes[...]) == expected)
        #expect(try bytes.withUnsafeBytes { raw in try JSONParser.parse(raw) } == expected)
        // Not contiguous, so the parser copies it first.
        #expect(try JSONParser.parse(Array(text.utf8.reversed()).reversed()) == expected)
    }

    @Test("a slice is parsed on its own, with offsets relative to it")
    func slice() {
        let bytes = Array("xx[1,]".utf8)
        #expect(throws: JSONParseError.unexpectedByte(UInt8(ascii: "]"), offset: 3, expected: .value)) {
            try JSONParser.parse(bytes[2...])
        }
    }

    // MARK: Errors

    @Test("error descriptions name the offset and the reason")
    func descriptions() {
        #expect(
            JSONParseError.unexpectedByte(UInt8(ascii: "]"), offset: 3, expected: .value).description
                == "invalid JSON at byte 3: unexpected ']', expected a value")
        #expect(
            JSONParseError.unexpectedByte(0xEF, offset: 0, expected: .value).description
                == "invalid JSON at byte 0: unexpected byte 0xEF, expected a value")
        #expect(
            JSONParseError.unexpectedByte(0x0C, offset: 0, expected: .colon).reason
                == "unexpected byte 0x0C, expected ':' after an object key")
        #expect(
            JSONParseError.nestingTooDeep(offset: 9, limit: 8).description
                == "invalid JSON at byte 9: arrays and objects nested deeper than 8 levels")
        #expect(JSONParseError.loneSurrogate(offset: 4).offset == 4)
    }
}
