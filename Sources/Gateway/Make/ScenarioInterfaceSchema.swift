internal import MCPProtocol

/// A scenario's interface (its input fields, shaped like data-structure fields) as the JSON Schema of a tool's
/// arguments (make-api.md §6.2): text, date and json are strings (dates as RFC 3339 dates or date-times), number and
/// boolean as named, select an enum of its option values, array an array of its `spec`, collection an object of its
/// `spec` fields; `required`, `default`, `label` (as title) and `help` (as description) are kept.
enum ScenarioInterfaceSchema {
    static func inputSchema(fields: [JSONValue]) -> JSONValue {
        var schema = object(of: fields)
        // Unknown arguments would be dropped by Make without a word; refusing them tells the model at once.
        schema["additionalProperties"] = false
        return .object(schema)
    }

    private static func object(of fields: [JSONValue]) -> JSONObject {
        var properties = JSONObject()
        var required: [JSONValue] = []
        for field in fields {
            guard let name = field["name"]?.stringValue, !name.isEmpty else { continue }
            properties[name] = schema(of: field)
            if field["required"]?.boolValue == true { required.append(.string(name)) }
        }
        var schema: JSONObject = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required) }
        return schema
    }

    private static func schema(of field: JSONValue) -> JSONValue {
        var schema = JSONObject()
        switch field["type"]?.stringValue ?? "" {
        case "text", "json", "password", "color", "hidden", "path", "filename":
            schema["type"] = "string"
        case "date":
            // Make reads both a date and a date-time here.
            schema["type"] = "string"
            schema["anyOf"] = [["format": "date-time"], ["format": "date"]]
        case "email":
            schema["type"] = "string"
            schema["format"] = "email"
        case "url":
            schema["type"] = "string"
            schema["format"] = "uri"
        case "number":
            schema["type"] = "number"
        case "integer":
            schema["type"] = "integer"
        case "uinteger":
            schema["type"] = "integer"
            schema["minimum"] = 0
        case "boolean":
            schema["type"] = "boolean"
        case "select":
            let values = field["options"]?.arrayValue?.compactMap { $0["value"] } ?? []
            if !values.isEmpty { schema["enum"] = .array(values) }
        case "array":
            schema["type"] = "array"
            switch field["spec"] {
            case .array(let fields): schema["items"] = .object(object(of: fields))
            case .some(let item) where item.objectValue != nil: schema["items"] = Self.schema(of: item)
            default: break
            }
        case "collection":
            schema = object(of: field["spec"]?.arrayValue ?? [])
        default:
            // A type Make has and this mapping does not: any value, described, rather than a wrong constraint.
            break
        }
        if let label = field["label"]?.stringValue, !label.isEmpty { schema["title"] = .string(label) }
        if let help = field["help"]?.stringValue, !help.isEmpty { schema["description"] = .string(help) }
        if let value = field["default"], !value.isNull, value != .string("") { schema["default"] = value }
        return .object(schema)
    }
}
