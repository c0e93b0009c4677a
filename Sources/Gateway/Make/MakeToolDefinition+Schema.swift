internal import MCPProtocol

extension MakeToolDefinition {
    /// The tool's `inputSchema` for `tools/list`: one property per argument (its schema plus its description), the
    /// required ones listed, nothing else accepted. Paginated tools also take `limit`, `offset`, `sortBy` and
    /// `sortDir`, which the request builder sends as Make's `pg[…]` parameters (make-api.md §4).
    var inputSchema: JSONValue {
        var properties = JSONObject()
        properties.reserveCapacity(arguments.count + (isPaginated ? Self.pagingProperties.count : 0))
        var required: [JSONValue] = []
        for argument in arguments {
            properties[argument.name] = Self.schema(argument.schema, describedAs: argument.description)
            if argument.isRequired { required.append(.string(argument.name)) }
        }
        if isPaginated {
            // An argument of the same name wins, so a tool can narrow a paging parameter (a smaller maximum, say).
            for (name, schema) in Self.pagingProperties where properties[name] == nil {
                properties[name] = schema
            }
        }
        var schema = JSONObject()
        schema["type"] = "object"
        schema["properties"] = .object(properties)
        schema["required"] = .array(required)
        schema["additionalProperties"] = false
        return .object(schema)
    }

    /// The input schema for a session confined to `scope`: the scope's `teamId` and `organizationId` are filled in
    /// when left out, so they are no longer required, and their descriptions say so.
    func inputSchema(confinedTo scope: MakeScope) -> JSONValue {
        let confined = [("teamId", scope.teamID), ("organizationId", scope.organizationID)]
            .compactMap { name, id in id.map { (name, $0) } }
            .filter { name, _ in arguments.contains { $0.name == name } }
        guard !confined.isEmpty, case .object(var schema) = inputSchema,
              case .object(var properties) = schema["properties"] ?? .null
        else { return inputSchema }
        for (name, id) in confined {
            if case .object(var property) = properties[name] ?? .null {
                let text = property["description"]?.stringValue ?? ""
                property["description"] = .string("This session is confined to \(name) \(id), the default. " + text)
                properties[name] = .object(property)
            }
        }
        schema["properties"] = .object(properties)
        let names = Set(confined.map(\.0))
        schema["required"] = .array((schema["required"]?.arrayValue ?? []).filter { !names.contains($0.stringValue ?? "") })
        return .object(schema)
    }

    /// The names `isPaginated` adds to the input schema, in the order they are listed.
    static let pagingArgumentNames = pagingProperties.map(\.0)

    /// The paging parameters every paginated Make list endpoint understands.
    private static let pagingProperties: [(String, JSONValue)] = [
        ("limit", ["type": "integer", "minimum": 1, "description": .string(limitText)]),
        ("offset", ["type": "integer", "minimum": 0, "description": .string(offsetText)]),
        ("sortBy", ["type": "string", "minLength": 1, "description": .string(sortByText)]),
        ("sortDir", ["type": "string", "enum": ["asc", "desc"], "description": .string(sortDirText)]),
    ]

    private static let limitText =
        "Page size: at most this many items are returned (sent as pg[limit]). Make's default varies by list."
    private static let offsetText = "How many items to skip before the page starts (pg[offset]); 0 is the first page."
    private static let sortByText =
        "Field to sort by (pg[sortBy]), such as name or id; leave out for the list's own order."
    private static let sortDirText = "Sort direction (pg[sortDir]): asc or desc."

    /// `schema` with `description` added, unless the schema already carries its own.
    private static func schema(_ schema: JSONValue, describedAs description: String) -> JSONValue {
        guard case .object(var object) = schema, !description.isEmpty, object["description"] == nil else {
            return schema
        }
        object["description"] = .string(description)
        return .object(object)
    }
}
