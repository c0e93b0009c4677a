import MCPProtocol
import Testing

@Suite("JSON Schema validator")
struct JSONSchemaValidatorTests {
    /// The violations of `instance` against `schema`, as the `path: message` lines a client would read.
    private func violations(_ schema: JSONValue, _ instance: JSONValue) throws -> [String] {
        try JSONSchemaValidator(schema: schema).validate(instance).map(\.description)
    }

    private func isValid(_ schema: JSONValue, _ instance: JSONValue) throws -> Bool {
        try JSONSchemaValidator(schema: schema).validate(instance).isEmpty
    }

    // MARK: A tool schema end to end

    private static let toolSchema: JSONValue = [
        "type": "object",
        "properties": [
            "teamId": ["type": "integer", "minimum": 1],
            "name": ["type": "string", "minLength": 1, "maxLength": 20],
            "limit": ["type": "integer", "minimum": 1, "maximum": 10000, "default": 100],
            "status": ["enum": ["active", "inactive"]],
            "tags": ["type": "array", "items": ["type": "string"], "uniqueItems": true],
            "since": ["type": ["string", "null"], "format": "date-time"],
        ],
        "required": ["teamId", "name"],
        "additionalProperties": false,
    ]

    @Test("valid tool arguments pass")
    func validArguments() throws {
        let arguments: JSONValue = [
            "teamId": 42, "name": "scenarios", "limit": 10000, "status": "active", "tags": ["a", "b"],
            "since": "2025-01-31T12:00:00Z",
        ]
        #expect(try violations(Self.toolSchema, arguments) == [])
        #expect(try violations(Self.toolSchema, ["teamId": 1, "name": "x", "since": nil]) == [])
    }

    @Test("every problem in tool arguments is reported, each naming the field and the rule")
    func invalidArguments() throws {
        let arguments: JSONValue = [
            "name": 5, "limit": 20000, "status": "deleted", "tags": ["a", "a"], "since": "yesterday", "extra": true,
        ]
        #expect(
            try violations(Self.toolSchema, arguments) == [
                "teamId: required property is missing",
                "name: must be a string (got number)",
                "limit: must be at most 10000 (got 20000)",
                #"status: must be one of "active", "inactive" (got "deleted")"#,
                "tags: must not contain duplicates (items 0 and 1 are equal)",
                "since: must be a valid date-time (RFC 3339, e.g. 2025-01-31T12:00:00Z)",
                "extra: is not an allowed property (allowed: teamId, name, limit, status, tags, since)",
            ])
    }

    @Test("violations expose path, keyword and message separately")
    func violationFields() throws {
        let violation = try #require(try JSONSchemaValidator(schema: Self.toolSchema).validate(["name": "x"]).first)
        #expect(
            violation
                == JSONSchemaViolation(
                    path: "teamId", keyword: "required",
                    message: "required property is missing"))
    }

    // MARK: type

    @Test(
        "each type accepts exactly its values",
        arguments: [
            ("null", JSONValue.null, true), ("null", .bool(false), false), ("boolean", .bool(true), true),
            ("boolean", .integer(0), false), ("object", .object([:]), true), ("object", .array([]), false),
            ("array", .array([]), true), ("array", .object([:]), false), ("string", .string(""), true),
            ("string", .integer(1), false), ("number", .integer(1), true), ("number", .double(1.5), true),
            ("number", .string("1"), false), ("integer", .integer(-3), true), ("integer", .double(2.0), true),
            ("integer", .double(-0.0), true), ("integer", .double(2.5), false), ("integer", .double(1e300), true),
            ("integer", .string("2"), false),
        ] as [(String, JSONValue, Bool)])
    func types(type: String, instance: JSONValue, valid: Bool) throws {
        #expect(try isValid(["type": .string(type)], instance) == valid)
    }

    @Test(
        "type messages name the expected and the actual type",
        arguments: [
            (JSONValue("string"), JSONValue.integer(3), "must be a string (got number)"),
            ("integer", .double(1.5), "must be an integer (got number)"),
            ("object", .array([]), "must be an object (got array)"),
            ("array", .null, "must be an array (got null)"),
            ("boolean", .string("true"), "must be a boolean (got string)"),
            (["string", "null"], .integer(1), "must be a string or null (got number)"),
            (["string", "number", "null"], .bool(true), "must be a string, a number or null (got boolean)"),
        ] as [(JSONValue, JSONValue, String)])
    func typeMessages(type: JSONValue, instance: JSONValue, message: String) throws {
        #expect(try violations(["type": type], instance) == [message])
    }

    @Test("a type array allows null alongside a type")
    func nullable() throws {
        let schema: JSONValue = ["type": ["integer", "null"], "minimum": 0]
        #expect(try isValid(schema, nil))
        #expect(try isValid(schema, 5))
        #expect(try violations(schema, -1) == ["must be at least 0 (got -1)"])
    }

    // MARK: Objects

    @Test("nested paths use dots, brackets for indices, and quotes for odd keys")
    func paths() throws {
        let schema: JSONValue = [
            "properties": [
                "filter": ["properties": ["owner": ["properties": ["id": ["type": "integer"]]]]],
                "rows": ["items": ["required": ["name"]]],
                "team id": ["type": "string"],
                "9lives": ["type": "string"],
            ]
        ]
        let instance: JSONValue = [
            "filter": ["owner": ["id": "x"]], "rows": [["name": 1], [:]], "team id": 1, "9lives": 1,
        ]
        #expect(
            try violations(schema, instance) == [
                "filter.owner.id: must be an integer (got string)",
                "rows[1].name: required property is missing",
                #"["team id"]: must be a string (got number)"#,
                #"["9lives"]: must be a string (got number)"#,
            ])
    }

    @Test("required properties may be null but not absent")
    func required() throws {
        let schema: JSONValue = ["required": ["a", "b"]]
        #expect(try isValid(schema, ["a": nil, "b": 0]))
        #expect(try violations(schema, ["b": 1]) == ["a: required property is missing"])
        #expect(try violations(schema, [:]) == ["a: required property is missing", "b: required property is missing"])
        // Object keywords do not apply to other types.
        #expect(try isValid(schema, "not an object"))
    }

    @Test("additionalProperties may be false, true or a schema")
    func additionalProperties() throws {
        #expect(
            try violations(["additionalProperties": false], ["x": 1])
                == ["x: is not an allowed property (no properties are allowed)"])
        #expect(try isValid(["additionalProperties": true, "properties": ["a": ["type": "string"]]], ["x": 1]))
        let typed: JSONValue = ["properties": ["a": ["type": "string"]], "additionalProperties": ["type": "integer"]]
        #expect(try isValid(typed, ["a": "s", "b": 2]))
        #expect(try violations(typed, ["a": "s", "b": "2"]) == ["b: must be an integer (got string)"])
    }

    @Test("a false property schema forbids the property")
    func falseProperty() throws {
        #expect(
            try violations(["properties": ["secret": false]], ["secret": 1])
                == ["secret: no value is allowed here"])
        #expect(try isValid(["properties": ["secret": false]], [:]))
    }

    @Test("a long allowed-property list is shortened")
    func longAllowedList() throws {
        var properties = JSONObject()
        for position in 0..<25 {
            properties["p\(position)"] = true
        }
        let message = try #require(
            try violations(
                ["properties": .object(properties), "additionalProperties": false],
                ["zzz": 1]
            ).first)
        #expect(message.hasSuffix("p18, p19, …)"))
    }

    // MARK: enum and const

    @Test("enum and const compare numbers by value and objects without order")
    func jsonEquality() throws {
        #expect(try isValid(["enum": [1, "a", nil]], 1.0))
        #expect(try isValid(["enum": [1.0]], 1))
        #expect(try isValid(["enum": [["a": 1, "b": [2]]]], ["b": [2.0], "a": 1]))
        #expect(try isValid(["const": 0], -0.0))
        #expect(try !isValid(["enum": [1]], "1"))
        #expect(try !isValid(["enum": [1]], true))
        #expect(try !isValid(["const": [1, 2]], [2, 1]))
        #expect(try violations(["const": "x"], "y") == [#"must be "x" (got "y")"#])
        #expect(try violations(["const": 3], [1]) == ["must be 3 (got array)"])
    }

    @Test("enum messages list at most ten values and shorten long ones")
    func enumMessages() throws {
        let values = JSONValue.array((1...12).map { .integer($0) })
        #expect(try violations(["enum": values], 0) == ["must be one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, … (got 0)"])
        let long = String(repeating: "x", count: 100)
        let message = try #require(try violations(["enum": ["a"]], .string(long)).first)
        #expect(message == #"must be one of "a" (got ""# + String(repeating: "x", count: 60) + "…)")
    }

    // MARK: Numbers

    @Test(
        "numeric bounds, inclusive and exclusive",
        arguments: [
            ("minimum", JSONValue.integer(5), JSONValue.integer(5), true), ("minimum", 5, 4, false),
            ("minimum", 5, 4.5, false),
            ("minimum", 4.5, 5, true), ("maximum", 5, 5, true), ("maximum", 5, 5.0001, false),
            ("maximum", 0.5, 0.5, true),
            ("exclusiveMinimum", 5, 5, false), ("exclusiveMinimum", 5, 5.5, true), ("exclusiveMaximum", 5, 5, false),
            ("exclusiveMaximum", 5, 4.999, true), ("exclusiveMaximum", 0, -0.0, false),
        ] as [(String, JSONValue, JSONValue, Bool)])
    func bounds(keyword: String, limit: JSONValue, instance: JSONValue, valid: Bool) throws {
        #expect(try isValid([keyword: limit], instance) == valid)
    }

    @Test("bound messages show the limit and the value")
    func boundMessages() throws {
        #expect(try violations(["minimum": 1], 0) == ["must be at least 1 (got 0)"])
        #expect(try violations(["maximum": 10000], 20000) == ["must be at most 10000 (got 20000)"])
        #expect(try violations(["exclusiveMinimum": 0], 0) == ["must be greater than 0 (got 0)"])
        #expect(try violations(["exclusiveMaximum": 1.5], 2) == ["must be less than 1.5 (got 2)"])
    }

    @Test("draft 4 boolean exclusive bounds modify minimum and maximum")
    func draft4ExclusiveBounds() throws {
        #expect(try violations(["minimum": 0, "exclusiveMinimum": true], 0) == ["must be greater than 0 (got 0)"])
        #expect(try violations(["maximum": 9, "exclusiveMaximum": true], 9) == ["must be less than 9 (got 9)"])
        #expect(try isValid(["minimum": 0, "exclusiveMinimum": false], 0))
    }

    @Test("integers are compared with double bounds exactly")
    func exactComparison() throws {
        #expect(try !isValid(["maximum": 9_007_199_254_740_992.0], 9_007_199_254_740_993))
        #expect(try isValid(["minimum": 9_007_199_254_740_992.0], 9_007_199_254_740_993))
        #expect(try isValid(["maximum": 1e19], .integer(.max)))
        #expect(try !isValid(["minimum": 1e19], .integer(.max)))
        #expect(try isValid(["minimum": -1e19], .integer(.min)))
        #expect(try !isValid(["maximum": -9.3e18], .integer(.min)))
        #expect(try isValid(["maximum": -2.5], -3))
        #expect(try !isValid(["maximum": -2.5], -2))
    }

    // MARK: Strings

    @Test(
        "string lengths count Unicode code points",
        arguments: [
            ("abc", 3), ("é", 1), ("e\u{301}", 2), ("😀", 1), ("👍🏽", 2), ("", 0),
        ])
    func stringLength(string: String, length: Int) throws {
        #expect(
            try isValid(
                ["minLength": .integer(Int64(length)), "maxLength": .integer(Int64(length))],
                .string(string)))
        if length > 0 {
            #expect(try !isValid(["maxLength": .integer(Int64(length) - 1)], .string(string)))
        }
        #expect(try !isValid(["minLength": .integer(Int64(length) + 1)], .string(string)))
    }

    @Test("length messages name the limit and the actual length")
    func lengthMessages() throws {
        #expect(try violations(["minLength": 3], "ab") == ["must be at least 3 characters long (got 2)"])
        #expect(try violations(["maxLength": 1], "ab") == ["must be at most 1 character long (got 2)"])
    }

    @Test(
        "patterns match anywhere unless anchored",
        arguments: [
            ("[0-9]+", "abc1", true), ("[0-9]+", "abc", false), ("^[a-z]+$", "abc", true), ("^[a-z]+$", "abc1", false),
            (#"^\d{3}-\d{4}$"#, "555-1234", true), ("^(foo|bar)$", "baz", false), ("é", "café", true), ("", "", true),
        ])
    func patterns(pattern: String, string: String, matches: Bool) throws {
        #expect(try isValid(["pattern": .string(pattern)], .string(string)) == matches)
    }

    @Test("pattern messages quote the pattern")
    func patternMessage() throws {
        #expect(try violations(["pattern": "^[a-z]+$"], "A") == ["must match the pattern ^[a-z]+$"])
    }

    @Test(
        "formats: date-time per RFC 3339",
        arguments: [
            ("2025-01-31T12:00:00Z", true), ("2025-01-31t12:00:00z", true), ("2025-01-31T12:00:00.123456+01:00", true),
            ("2025-01-31T23:59:60-08:30", true), ("2024-02-29T00:00:00Z", true), ("2023-02-29T00:00:00Z", false),
            ("2025-01-31 12:00:00Z", false), ("2025-01-31T12:00:00", false), ("2025-01-31T24:00:00Z", false),
            ("2025-13-01T00:00:00Z", false), ("2025-01-31T12:00:00.Z", false), ("2025-01-31T12:00:00+0100", false),
            ("2025-01-31T12:00:00+24:00", false), ("2025-1-31T12:00:00Z", false), ("2025-01-31", false),
            ("2025-01-31T12:00:00Zjunk", false), ("", false),
        ])
    func dateTime(string: String, valid: Bool) throws {
        #expect(try isValid(["format": "date-time"], .string(string)) == valid)
    }

    @Test(
        "formats: date",
        arguments: [
            ("2025-01-31", true), ("2000-02-29", true), ("1900-02-29", false), ("2025-04-31", false),
            ("2025-00-10", false),
            ("2025-01-00", false), ("2025-01-3", false), ("2025/01/31", false), ("2025-01-31T00:00:00Z", false),
        ])
    func date(string: String, valid: Bool) throws {
        #expect(try isValid(["format": "date"], .string(string)) == valid)
    }

    @Test(
        "formats: email, loosely",
        arguments: [
            ("user@example.com", true), ("first.last+tag@sub.example.co.uk", true), ("ü@exämple.de", true),
            ("user@localhost", false), ("@example.com", false), ("user@", false), ("user", false),
            ("us er@example.com", false), ("user@exa mple.com", false), ("user@.example.com", false),
            ("user@example..com", false), ("user@example.com.", false), ("user@exam_ple.com", false),
        ])
    func email(string: String, valid: Bool) throws {
        #expect(try isValid(["format": "email"], .string(string)) == valid)
    }

    @Test(
        "formats: uri, loosely",
        arguments: [
            ("https://example.com/path?q=1#f", true), ("mailto:someone@example.com", true),
            ("urn:isbn:0451450523", true),
            ("make://scenario/42", true), ("example.com", false), ("/relative/path", false),
            ("https://exa mple.com", false),
            ("1http://x", false), ("ht tp://x", false), ("https:", false), ("https://example.com/<x>", false),
        ])
    func uri(string: String, valid: Bool) throws {
        #expect(try isValid(["format": "uri"], .string(string)) == valid)
    }

    @Test("unknown formats are annotations and pass; formats ignore non-strings")
    func otherFormats() throws {
        #expect(try isValid(["format": "hostname"], "not a hostname!"))
        #expect(try isValid(["format": "date-time"], 5))
        #expect(try violations(["format": "email"], "nope") == ["must be a valid email address"])
    }

    // MARK: Arrays

    @Test("items applies to every element, reporting its index")
    func items() throws {
        let schema: JSONValue = ["items": ["type": "integer", "minimum": 0]]
        #expect(try isValid(schema, [0, 1, 2]))
        #expect(try isValid(schema, []))
        #expect(
            try violations(schema, [1, -1, "x"])
                == ["[1]: must be at least 0 (got -1)", "[2]: must be an integer (got string)"])
    }

    @Test(
        "item counts are bounded",
        arguments: [
            (JSONValue.array([]), ["must have at least 1 item (got 0)"]), ([1], []), ([1, 2, 3], []),
            ([1, 2, 3, 4], ["must have at most 3 items (got 4)"]),
        ] as [(JSONValue, [String])])
    func itemCounts(instance: JSONValue, expected: [String]) throws {
        #expect(try violations(["minItems": 1, "maxItems": 3], instance) == expected)
    }

    @Test(
        "uniqueItems uses JSON equality",
        arguments: [
            (JSONValue.array([1, 2, 3]), true), ([1, 1.0], false), (["a", "b", "a"], false),
            ([["a": 1, "b": 2], ["b": 2, "a": 1]], false), ([[1, 2], [2, 1]], true), ([nil, false, 0, ""], true),
        ] as [(JSONValue, Bool)])
    func uniqueItems(instance: JSONValue, valid: Bool) throws {
        #expect(try isValid(["uniqueItems": true], instance) == valid)
        #expect(try isValid(["uniqueItems": false], instance))
    }

    // MARK: Combinators

    @Test("allOf reports the violations of every branch")
    func allOf() throws {
        let schema: JSONValue = ["allOf": [["type": "integer"], ["minimum": 10], ["maximum": 5]]]
        #expect(try violations(schema, 7) == ["must be at least 10 (got 7)", "must be at most 5 (got 7)"])
        #expect(try violations(schema, 3) == ["must be at least 10 (got 3)"])
        #expect(try violations(schema, 20) == ["must be at most 5 (got 20)"])
    }

    @Test("anyOf passes when one branch matches")
    func anyOfMatches() throws {
        let schema: JSONValue = ["anyOf": [["type": "string", "maxLength": 3], ["type": "integer"]]]
        #expect(try isValid(schema, "abc"))
        #expect(try isValid(schema, 12))
    }

    @Test("anyOf failures are explained by the branch meant for the value's type")
    func anyOfMessages() throws {
        let schema: JSONValue = ["anyOf": [["type": "string", "maxLength": 3], ["type": "null"]]]
        #expect(try violations(schema, "abcd") == ["must be at most 3 characters long (got 4)"])
        #expect(try violations(schema, 5) == ["must be a string or null (got number)"])
        let untyped: JSONValue = ["anyOf": [["minimum": 10], ["maximum": 0]]]
        #expect(try violations(untyped, 5) == ["must match at least one of the anyOf schemas"])
    }

    @Test("oneOf needs exactly one matching branch")
    func oneOf() throws {
        let schema: JSONValue = ["oneOf": [["type": "integer"], ["type": "number", "minimum": 10]]]
        #expect(try isValid(schema, 5))
        #expect(try isValid(schema, 10.5))
        #expect(try violations(schema, 12) == ["must match exactly one of the oneOf schemas (matched 2)"])
        #expect(try violations(schema, "x") == ["must be an integer or a number (got string)"])
        let both: JSONValue = ["oneOf": [["minimum": 10], ["maximum": 0]]]
        #expect(try violations(both, 5) == ["must match exactly one of the oneOf schemas"])
    }

    @Test("nested combinators report paths inside the branch")
    func nestedCombinatorPaths() throws {
        let schema: JSONValue = [
            "properties": ["when": ["anyOf": [["type": "string", "format": "date"], ["type": "null"]]]]
        ]
        #expect(try violations(schema, ["when": "31/01/2025"]) == ["when: must be a valid date (YYYY-MM-DD)"])
    }

    // MARK: Boolean and empty schemas

    @Test(
        "true and {} accept everything; false accepts nothing",
        arguments: [
            JSONValue.null, .bool(false), .integer(1), .string("s"), .array([1]), .object(["a": 1]),
        ])
    func booleanSchemas(instance: JSONValue) throws {
        #expect(try isValid(true, instance))
        #expect(try isValid([:], instance))
        #expect(try violations(false, instance) == ["no value is allowed here"])
    }

    @Test("annotations and unknown keywords are ignored")
    func annotations() throws {
        let schema: JSONValue = [
            "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "x", "title": "T", "description": "D",
            "default": 5, "examples": [1], "deprecated": true, "readOnly": false, "x-custom": ["anything": true],
            "$defs": ["unused": ["type": "string"]], "nullable": true, "type": "integer",
        ]
        #expect(try isValid(schema, 3))
        #expect(try !isValid(schema, nil))
    }

    // MARK: Compilation

    @Test(
        "unsupported keywords fail compilation at their JSON pointer",
        arguments: [
            (["$ref": "#/$defs/a"] as JSONValue, "#/$ref"),
            (["properties": ["a": ["not": ["type": "string"]]]], "#/properties/a/not"),
            (["items": [["type": "string"]]], "#/items"),
            (["anyOf": [true, ["patternProperties": [:]]]], "#/anyOf/1/patternProperties"),
            (["properties": ["a/b~c": ["if": true]]], "#/properties/a~1b~0c/if"), (["multipleOf": 2], "#/multipleOf"),
        ] as [(JSONValue, String)])
    func unsupportedKeywords(schema: JSONValue, path: String) {
        #expect(throws: JSONSchemaError.unsupportedKeyword(path: path)) { try JSONSchemaValidator(schema: schema) }
    }

    @Test(
        "malformed keywords fail compilation with the reason",
        arguments: [
            (JSONValue("object"), "#", "a schema must be an object or a boolean"),
            (["type": "text"], "#/type", #"unknown type "text""#),
            (["type": []], "#/type", "type must be a string or a non-empty array of strings"),
            (["type": 5], "#/type", "type must be a string or a non-empty array of strings"),
            (["minimum": "5"], "#/minimum", "must be a number"),
            (["maxLength": -1], "#/maxLength", "must be a non-negative integer"),
            (["minItems": 1.5], "#/minItems", "must be a non-negative integer"),
            (["required": "id"], "#/required", "required must be an array of strings"),
            (["required": [1]], "#/required", "required must be an array of strings"),
            (["enum": "a"], "#/enum", "enum must be an array"),
            (["properties": []], "#/properties", "properties must be an object"),
            (["properties": ["a": 5]], "#/properties/a", "a schema must be an object or a boolean"),
            (["anyOf": []], "#/anyOf", "must be a non-empty array of schemas"),
            (["uniqueItems": "yes"], "#/uniqueItems", "uniqueItems must be a boolean"),
            (["pattern": 5], "#/pattern", "pattern must be a string"),
            (["format": 5], "#/format", "format must be a string"),
        ] as [(JSONValue, String, String)])
    func malformedKeywords(schema: JSONValue, path: String, reason: String) {
        #expect(throws: JSONSchemaError.invalidKeyword(path: path, reason: reason)) {
            try JSONSchemaValidator(schema: schema)
        }
    }

    @Test("a pattern Regex cannot compile fails compilation")
    func invalidPattern() {
        #expect(throws: JSONSchemaError.invalidPattern(path: "#/properties/a/pattern", pattern: "([a-z")) {
            try JSONSchemaValidator(schema: ["properties": ["a": ["pattern": "([a-z"]]])
        }
        #expect(
            JSONSchemaError.invalidPattern(path: "#/pattern", pattern: "(").description
                == "invalid regular expression at #/pattern: (")
    }

    @Test("integral doubles are accepted where a count is expected")
    func integralCounts() throws {
        #expect(try violations(["maxLength": 2.0], "abc") == ["must be at most 2 characters long (got 3)"])
    }

    @Test("a compiled validator can be shared across concurrent tasks")
    func concurrentUse() async throws {
        let validator = try JSONSchemaValidator(schema: ["properties": ["code": ["pattern": "^[A-Z]{3}$"]]])
        let failures = await withTaskGroup(of: Int.self) { group in
            for position in 0..<64 {
                group.addTask {
                    validator.validate(["code": position.isMultiple(of: 2) ? "ABC" : "abc"]).count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 32)
    }
}
