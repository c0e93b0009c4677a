extension CompiledSchema {
    /// Keywords that constrain instances in some JSON Schema draft but are not implemented here. A schema using
    /// one fails to compile, so no tool silently accepts arguments its schema forbids.
    private static let unsupportedKeywords: Set<String> = [
        "$ref", "$dynamicRef", "$recursiveRef", "not", "if", "then", "else", "dependentSchemas", "dependentRequired",
        "dependencies", "patternProperties", "propertyNames", "unevaluatedProperties", "unevaluatedItems",
        "prefixItems", "additionalItems", "contains", "minContains", "maxContains", "minProperties", "maxProperties",
        "multipleOf",
    ]

    /// Compiles `schema`, located at the JSON pointer `path` for error messages. Unknown keywords (annotations such
    /// as `title`, `description`, `default`, `examples`, `$schema`) are ignored, as JSON Schema requires.
    init(compiling schema: JSONValue, at path: String) throws(JSONSchemaError) {
        switch schema {
        case .bool(true):
            self = .anything
        case .bool(false):
            self = .nothing
        case .object(let object):
            self = .constrained(Node(try Self.constraints(of: object, at: path)))
        default:
            throw .invalidKeyword(path: path, reason: "a schema must be an object or a boolean")
        }
    }

    private static func constraints(of schema: JSONObject, at path: String) throws(JSONSchemaError)
        -> SchemaConstraints
    {
        var constraints = SchemaConstraints()
        // Draft 4 spells exclusive bounds as booleans next to minimum/maximum; applied after all keywords are read.
        var minimumIsExclusive = false
        var maximumIsExclusive = false

        for (keyword, value) in schema {
            let keywordPath = path + "/" + escapePointerToken(keyword)
            if unsupportedKeywords.contains(keyword) {
                throw .unsupportedKeyword(path: keywordPath)
            }
            switch keyword {
            case "type":
                constraints.types = try types(value, at: keywordPath)
            case "enum":
                guard case .array(let values) = value else {
                    throw .invalidKeyword(path: keywordPath, reason: "enum must be an array")
                }
                constraints.allowedValues = values.map(\.canonicalForSchema)
            case "const":
                constraints.constant = value.canonicalForSchema
            case "minimum":
                constraints.minimum = try number(value, at: keywordPath)
            case "maximum":
                constraints.maximum = try number(value, at: keywordPath)
            case "exclusiveMinimum":
                if case .bool(let flag) = value {
                    minimumIsExclusive = flag
                } else {
                    constraints.exclusiveMinimum = try number(value, at: keywordPath)
                }
            case "exclusiveMaximum":
                if case .bool(let flag) = value {
                    maximumIsExclusive = flag
                } else {
                    constraints.exclusiveMaximum = try number(value, at: keywordPath)
                }
            case "minLength":
                constraints.minLength = try count(value, at: keywordPath)
            case "maxLength":
                constraints.maxLength = try count(value, at: keywordPath)
            case "pattern":
                guard case .string(let source) = value else {
                    throw .invalidKeyword(path: keywordPath, reason: "pattern must be a string")
                }
                guard let pattern = SchemaPattern(source) else {
                    throw .invalidPattern(path: keywordPath, pattern: source)
                }
                constraints.pattern = pattern
            case "format":
                guard case .string(let name) = value else {
                    throw .invalidKeyword(path: keywordPath, reason: "format must be a string")
                }
                constraints.format = SchemaFormat(rawValue: name)
            case "items":
                if case .array = value {
                    // Draft 4–2019 tuple form; 2020-12 moved it to prefixItems.
                    throw .unsupportedKeyword(path: keywordPath)
                }
                constraints.items = try CompiledSchema(compiling: value, at: keywordPath)
            case "minItems":
                constraints.minItems = try count(value, at: keywordPath)
            case "maxItems":
                constraints.maxItems = try count(value, at: keywordPath)
            case "uniqueItems":
                guard case .bool(let flag) = value else {
                    throw .invalidKeyword(path: keywordPath, reason: "uniqueItems must be a boolean")
                }
                constraints.uniqueItems = flag
            case "properties":
                guard case .object(let properties) = value else {
                    throw .invalidKeyword(path: keywordPath, reason: "properties must be an object")
                }
                for (name, propertySchema) in properties {
                    let propertyPath = keywordPath + "/" + escapePointerToken(name)
                    constraints.properties[name] = try CompiledSchema(compiling: propertySchema, at: propertyPath)
                    constraints.propertyNames.append(name)
                }
            case "required":
                guard case .array(let names) = value, let strings = stringArray(names) else {
                    throw .invalidKeyword(path: keywordPath, reason: "required must be an array of strings")
                }
                constraints.required = strings
            case "additionalProperties":
                constraints.additionalProperties = try CompiledSchema(compiling: value, at: keywordPath)
            case "allOf":
                constraints.allOf = try subschemas(value, at: keywordPath)
            case "anyOf":
                constraints.anyOf = try subschemas(value, at: keywordPath)
            case "oneOf":
                constraints.oneOf = try subschemas(value, at: keywordPath)
            default:
                continue
            }
        }

        if minimumIsExclusive, let minimum = constraints.minimum {
            constraints.exclusiveMinimum = minimum
            constraints.minimum = nil
        }
        if maximumIsExclusive, let maximum = constraints.maximum {
            constraints.exclusiveMaximum = maximum
            constraints.maximum = nil
        }
        return constraints
    }

    private static func types(_ value: JSONValue, at path: String) throws(JSONSchemaError) -> [SchemaType] {
        let names: [String]
        switch value {
        case .string(let name):
            names = [name]
        case .array(let elements):
            guard let strings = stringArray(elements), !strings.isEmpty else {
                throw .invalidKeyword(path: path, reason: "type must be a string or a non-empty array of strings")
            }
            names = strings
        default:
            throw .invalidKeyword(path: path, reason: "type must be a string or a non-empty array of strings")
        }
        var types: [SchemaType] = []
        for name in names {
            guard let type = SchemaType(rawValue: name) else {
                throw .invalidKeyword(path: path, reason: "unknown type \"\(name)\"")
            }
            types.append(type)
        }
        return types
    }

    private static func number(_ value: JSONValue, at path: String) throws(JSONSchemaError) -> SchemaNumber {
        guard let number = SchemaNumber(value) else { throw .invalidKeyword(path: path, reason: "must be a number") }
        return number
    }

    /// A non-negative integer keyword such as `minLength`; `2.0` counts, as JSON Schema defines integers by value.
    private static func count(_ value: JSONValue, at path: String) throws(JSONSchemaError) -> Int {
        guard let integer = value.int64Value, integer >= 0, let count = Int(exactly: integer) else {
            throw .invalidKeyword(path: path, reason: "must be a non-negative integer")
        }
        return count
    }

    private static func subschemas(_ value: JSONValue, at path: String) throws(JSONSchemaError) -> [CompiledSchema] {
        guard case .array(let schemas) = value, !schemas.isEmpty else {
            throw .invalidKeyword(path: path, reason: "must be a non-empty array of schemas")
        }
        var compiled: [CompiledSchema] = []
        compiled.reserveCapacity(schemas.count)
        for (position, schema) in schemas.enumerated() {
            compiled.append(try CompiledSchema(compiling: schema, at: "\(path)/\(position)"))
        }
        return compiled
    }

    private static func stringArray(_ values: [JSONValue]) -> [String]? {
        var strings: [String] = []
        strings.reserveCapacity(values.count)
        for value in values {
            guard case .string(let string) = value else { return nil }
            strings.append(string)
        }
        return strings
    }

    /// Escapes a JSON pointer reference token (RFC 6901 §3: `~` as `~0`, `/` as `~1`).
    private static func escapePointerToken(_ token: String) -> String {
        guard token.contains("~") || token.contains("/") else { return token }
        return token.replacing("~", with: "~0").replacing("/", with: "~1")
    }
}
