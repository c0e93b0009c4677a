internal import MCPProtocol

// The catalog files build every schema through these small functions instead of nested JSON literals: a literal of
// dozens of nested dictionaries per tool makes the type checker slow, while a call with typed parameters is cheap.

// MARK: - Schema builders

extension MakeCatalog {
    /// `{"type": "integer"}` with optional bounds.
    static func integer(minimum: Int64? = nil, maximum: Int64? = nil) -> JSONValue {
        var schema: JSONObject = ["type": "integer"]
        if let minimum { schema["minimum"] = .integer(minimum) }
        if let maximum { schema["maximum"] = .integer(maximum) }
        return .object(schema)
    }

    /// `{"type": "string"}` with optional length bounds, an anchored `pattern` and a `format`.
    static func string(
        minLength: Int64? = nil, maxLength: Int64? = nil, pattern: String? = nil, format: String? = nil
    ) -> JSONValue {
        var schema: JSONObject = ["type": "string"]
        if let minLength { schema["minLength"] = .integer(minLength) }
        if let maxLength { schema["maxLength"] = .integer(maxLength) }
        if let pattern { schema["pattern"] = .string(pattern) }
        if let format { schema["format"] = .string(format) }
        return .object(schema)
    }

    static let boolean: JSONValue = ["type": "boolean"]

    /// Any JSON object; its members are not constrained.
    static let anyObject: JSONValue = ["type": "object"]

    /// Any JSON value at all.
    static let anyValue: JSONValue = .object(JSONObject())

    /// A string that must be one of `values`.
    static func enumeration(_ values: [String]) -> JSONValue {
        ["type": "string", "enum": .array(values.map { .string($0) })]
    }

    /// An integer that must be one of `values`.
    static func integerEnumeration(_ values: [Int64]) -> JSONValue {
        ["type": "integer", "enum": .array(values.map { .integer($0) })]
    }

    /// An array of `items`, with optional size bounds.
    static func array(of items: JSONValue, minItems: Int64? = nil, maxItems: Int64? = nil) -> JSONValue {
        var schema: JSONObject = ["type": "array", "items": items]
        if let minItems { schema["minItems"] = .integer(minItems) }
        if let maxItems { schema["maxItems"] = .integer(maxItems) }
        return .object(schema)
    }

    /// An object with these `properties` (each built with ``property(_:_:_:)``). Extra members are allowed unless
    /// `closed`, because most Make payloads carry more keys than a tool needs to name.
    static func object(
        _ properties: [(String, JSONValue)], required: [String] = [], closed: Bool = false
    ) -> JSONValue {
        var members = JSONObject()
        members.reserveCapacity(properties.count)
        for (name, schema) in properties { members[name] = schema }
        var schema: JSONObject = ["type": "object", "properties": .object(members)]
        if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
        if closed { schema["additionalProperties"] = false }
        return .object(schema)
    }

    /// One member of an ``object(_:required:closed:)`` schema, with its description.
    static func property(_ name: String, _ schema: JSONValue, _ description: String) -> (String, JSONValue) {
        guard case .object(var members) = schema else { return (name, schema) }
        members["description"] = .string(description)
        return (name, .object(members))
    }

    /// `schema` that also accepts `null` (Make clears a field when sent `null`).
    static func nullable(_ schema: JSONValue) -> JSONValue {
        guard case .object(var members) = schema, let type = members["type"]?.stringValue else { return schema }
        members["type"] = [.string(type), "null"]
        return .object(members)
    }

    /// A schema accepting a value that matches any of `schemas`.
    static func anyOf(_ schemas: [JSONValue]) -> JSONValue {
        ["anyOf": .array(schemas)]
    }

    /// A positive integer: every numeric Make id (teams, scenarios, hooks, data stores, …).
    static let id: JSONValue = integer(minimum: 1)

    /// An execution id: 32 lowercase hexadecimal characters.
    static let executionIDSchema: JSONValue = string(pattern: "^[0-9a-f]{32}$")
}

// MARK: - Arguments

extension MakeCatalog {
    static func required(
        _ name: String, _ schema: JSONValue, _ placement: MakeArgumentPlacement, _ description: String
    ) -> MakeArgument {
        MakeArgument(name: name, schema: schema, isRequired: true, placement: placement, description: description)
    }

    static func optional(
        _ name: String, _ schema: JSONValue, _ placement: MakeArgumentPlacement, _ description: String
    ) -> MakeArgument {
        MakeArgument(name: name, schema: schema, isRequired: false, placement: placement, description: description)
    }

    // The ids most tools take, described once so every tool says the same thing about where to find them.

    static func teamID(_ placement: MakeArgumentPlacement = .query) -> MakeArgument {
        required(
            "teamId", id, placement,
            "ID of the team. Find it with teams_list, or in the teams of each organization from organizations_list.")
    }

    static func organizationID(_ placement: MakeArgumentPlacement = .query) -> MakeArgument {
        required("organizationId", id, placement, "ID of the organization. Find it with organizations_list.")
    }

    static func scenarioID(_ placement: MakeArgumentPlacement = .path) -> MakeArgument {
        required("scenarioId", id, placement, "ID of the scenario. Find it with scenarios_list.")
    }

    static let executionID = required(
        "executionId", executionIDSchema, .path,
        "ID of the run: 32 lowercase hex characters, as executions_list lists them and scenarios_run returns them.")

    static let incompleteExecutionID = required(
        "incompleteExecutionId", string(minLength: 1), .path,
        "ID of the incomplete execution (32 hex characters). Find it with incomplete-executions_list.")

    static let hookID = required("hookId", id, .path, "ID of the webhook or mailhook. Find it with hooks_list.")

    static let connectionID = required(
        "connectionId", id, .path, "ID of the connection. Find it with connections_list.")

    static let dataStoreID = required(
        "dataStoreId", id, .path, "ID of the data store. Find it with data-stores_list.")

    static let dataStructureID = required(
        "dataStructureId", id, .path, "ID of the data structure. Find it with data-structures_list.")

    static let agentID = required(
        "agentId", string(minLength: 1), .path, "ID of the on-prem agent (a UUID). Find it with on-prem-agent_list.")

    /// `name` of a custom app in the `sdk-apps_*` tools.
    static let sdkAppName = required(
        "name", string(minLength: 1), .path, "Name (identifier) of the custom app. Find it with sdk-apps_list.")

    /// `version` of a custom app in the `sdk-apps_*` tools.
    static let sdkAppVersion = required(
        "version", id, .path, "Major version of the custom app, usually 1.")

    /// `appName` of a custom app in the other `sdk-*` tools.
    static let sdkAppNameArgument = required(
        "appName", string(minLength: 1), .path, "Name (identifier) of the custom app. Find it with sdk-apps_list.")

    /// `appVersion` of a custom app in the other `sdk-*` tools.
    static let sdkAppVersionArgument = required(
        "appVersion", id, .path, "Major version of the custom app, usually 1.")

    /// A section's source text, sent as the raw request body.
    static func sectionBody(_ what: String) -> MakeArgument {
        required(
            "body", string(), .rawBody(contentType: "application/jsonc"),
            "The new content of the \(what) section: JSON, comments allowed (JSONC). It replaces the section.")
    }
}

// MARK: - Annotations

extension MakeCatalog {
    /// R: reads only.
    static let readOnly = MCPToolAnnotations(readOnlyHint: true, openWorldHint: false)
    /// I: changes data, never destroys it, and repeating the call changes nothing more.
    static let idempotentWrite = MCPToolAnnotations(
        readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false)
    /// DI: may overwrite or delete data, but repeating the call changes nothing more.
    static let destructiveIdempotent = MCPToolAnnotations(
        readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false)
    /// D: may delete data or have effects outside Make; idempotence not claimed.
    static let destructive = MCPToolAnnotations(readOnlyHint: false, destructiveHint: true, openWorldHint: false)
    /// `i=false`: creates something new on every call.
    static let additiveWrite = MCPToolAnnotations(
        readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false)

    /// `annotations` for a tool that reaches systems outside Make (a scenario run, an RPC, a connection test).
    static func openWorld(_ annotations: MCPToolAnnotations) -> MCPToolAnnotations {
        var annotations = annotations
        annotations.openWorldHint = true
        return annotations
    }
}

// MARK: - Fixed query parameters

extension MakeCatalog {
    /// `cols[]=*`: every column instead of the endpoint's default subset.
    static let allColumns: [(name: String, value: String)] = [(name: "cols[]", value: "*")]
    /// `confirmed=true`: Make refuses some deletes without it (IM004).
    static let confirmed: [(name: String, value: String)] = [(name: "confirmed", value: "true")]
}
