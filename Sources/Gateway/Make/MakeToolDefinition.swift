internal import MCPProtocol

/// One Make API tool as data: what MCP clients see (name, description, schema, annotations, scope) and how a call
/// becomes an HTTP request (method, path, where each argument goes, what the answer is). One generic executor runs
/// every definition, so a new tool is one entry in the catalog.
struct MakeToolDefinition: Sendable {
    /// `<group>_<action>`, as Make's own MCP server names it.
    var name: String
    /// The catalog group (`scenarios`, `data-store-records`, `sdk-apps`, …), for selecting tools by group.
    var group: String
    var title: String
    /// In our own words: what the tool does and when to use it.
    var description: String
    /// The OAuth scope a token needs to call it; nil for the few tools that need none.
    var scope: String?
    var annotations: MCPToolAnnotations
    var method: String
    /// Relative to the zone's API base (`https://eu1.make.com/api/v2`), with `{argument}` placeholders.
    var path: String
    /// Query parameters every call sends, such as `cols[]=*` or `confirmed=true`.
    var fixedQuery: [(name: String, value: String)] = []
    var arguments: [MakeArgument]
    var result: MakeToolResult
    /// Whether the tool takes `limit`, `offset`, `sortBy` and `sortDir`, sent as `pg[…]`.
    var isPaginated = false
    /// Whether it is in the default selection of 40 (make-catalog.md §4).
    var isInDefaultSelection = false
    /// A behaviour the generic executor has a dedicated path for.
    var special: MakeToolSpecial? = nil
    /// The JSON Schema of the tool's result, for tools whose answer has a stable shape.
    var outputSchema: JSONValue? = nil
}

/// One argument of a Make tool.
struct MakeArgument: Sendable {
    var name: String
    /// The JSON Schema of the value (type, enum, bounds, pattern, nested shape).
    var schema: JSONValue
    var isRequired: Bool
    var placement: MakeArgumentPlacement
    var description: String
}

/// Where an argument travels in the HTTP request.
enum MakeArgumentPlacement: Sendable, Equatable {
    /// Replaces `{name}` in the path (percent-encoded).
    case path
    /// `?name=value`; arrays as `name[]=a&name[]=b`, objects as `name[key]=value`.
    case query
    /// Like ``query`` under another key.
    case queryKey(String)
    /// A field of the JSON body, of the same name.
    case body
    /// A field of the JSON body, under another name.
    case bodyKey(String)
    /// An object whose members are merged into the top level of the JSON body.
    case bodySpread
    /// The value is the entire JSON body.
    case wholeBody
    /// A string sent as the raw body with this content type (code, Markdown, JSONC sections).
    case rawBody(contentType: String)
    /// A JSON value sent as a JSON-encoded string inside the body (scenario `blueprint` and `scheduling`).
    case bodyJSONString
}

/// What a tool call returns to the client.
enum MakeToolResult: Sendable, Equatable {
    /// The value of one top-level key of the response body.
    case unwrap(String)
    /// The whole response body.
    case wholeBody
    /// A short confirmation instead of the API's answer; `{argument}` placeholders are filled in.
    case confirmation(String)

    /// Whether the result depends on the answer alone, not on the call's arguments.
    var isDrawnFromAnswer: Bool {
        if case .confirmation = self { return false }
        return true
    }
}

/// Tools whose request or answer needs more than the table can say.
enum MakeToolSpecial: Sendable, Equatable {
    /// `scenarios_get`: the scenario, then its blueprint, merged (scheduling and interface back into the blueprint).
    case scenarioWithBlueprint
    /// `scenarios_create` and `scenarios_update`: blueprint and scheduling normalised and sent as JSON strings, with
    /// the interface moved to `metadata` (make-catalog.md §2, "Blueprint and scheduling").
    case scenarioBlueprintWrite
    /// `sdk-apps_set-icon`: the argument is base64 PNG, sent as raw `image/png` bytes.
    case pngIcon
}
