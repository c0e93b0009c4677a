internal import Synchronization

/// Hints about a tool's behaviour (MCP 2025-03-26 §Tools, annotations). Clients treat them as untrusted hints.
package struct MCPToolAnnotations: Sendable, Hashable {
    package var title: String?
    package var readOnlyHint: Bool?
    package var destructiveHint: Bool?
    package var idempotentHint: Bool?
    package var openWorldHint: Bool?

    package init(title: String? = nil, readOnlyHint: Bool? = nil, destructiveHint: Bool? = nil,
                 idempotentHint: Bool? = nil, openWorldHint: Bool? = nil) {
        self.title = title
        self.readOnlyHint = readOnlyHint
        self.destructiveHint = destructiveHint
        self.idempotentHint = idempotentHint
        self.openWorldHint = openWorldHint
    }

    var jsonValue: JSONValue {
        var object = JSONObject()
        if let title { object["title"] = .string(title) }
        if let readOnlyHint { object["readOnlyHint"] = .bool(readOnlyHint) }
        if let destructiveHint { object["destructiveHint"] = .bool(destructiveHint) }
        if let idempotentHint { object["idempotentHint"] = .bool(idempotentHint) }
        if let openWorldHint { object["openWorldHint"] = .bool(openWorldHint) }
        return .object(object)
    }
}

/// What a tool call produced. Failures a person or model can act on are results with ``isError`` set, not JSON-RPC
/// errors (MCP §Tools, error handling).
package struct MCPToolResult: Sendable, Hashable {
    package var content: [MCPContent]
    /// Machine-readable output, sent when the tool declares an output schema and the session is 2025-06-18 or later.
    package var structuredContent: JSONValue?
    package var isError: Bool
    /// Set on a result that will be returned many times (a cached read's memo): its serialized forms are kept here,
    /// one per protocol version, so later calls copy bytes instead of serializing it again. Not part of its value.
    package var encodings: MCPToolResultEncodings?

    package init(content: [MCPContent], structuredContent: JSONValue? = nil, isError: Bool = false) {
        self.content = content
        self.structuredContent = structuredContent
        self.isError = isError
    }

    package static func == (lhs: MCPToolResult, rhs: MCPToolResult) -> Bool {
        lhs.content == rhs.content && lhs.structuredContent == rhs.structuredContent && lhs.isError == rhs.isError
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(content)
        hasher.combine(structuredContent)
        hasher.combine(isError)
    }

    /// A text result.
    package static func text(_ text: String) -> MCPToolResult {
        MCPToolResult(content: [.text(text)])
    }

    /// A failed call, explained.
    package static func error(_ message: String) -> MCPToolResult {
        MCPToolResult(content: [.text(message)], isError: true)
    }

    /// A JSON result: structured content plus the same JSON as text, for clients that predate structured content.
    package static func json(_ value: JSONValue) -> MCPToolResult {
        MCPToolResult(content: [.text(String(decoding: value.serialized(), as: UTF8.self))], structuredContent: value)
    }
}

/// The serialized forms of one tool result, by what shapes them: the protocol version and whether structured
/// content is sent.
package final class MCPToolResultEncodings: Sendable {
    struct Key: Hashable {
        var version: MCPProtocolVersion
        var includesStructuredContent: Bool
    }

    private let encodings = Mutex<[Key: EncodedJSON]>([:])

    package init() {}

    /// The encoding for `key`, made by `encode` the first time.
    func encoded(for key: Key, _ encode: () -> JSONValue) -> EncodedJSON {
        if let known = encodings.withLock({ $0[key] }) { return known }
        let encoded = EncodedJSON(encode().serialized())
        encodings.withLock { $0[key] = encoded }
        return encoded
    }
}

/// An error a tool throws to fail the call with a message meant for the model or person using it.
package struct MCPToolError: Error, Sendable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}

/// A tool: its definition as clients see it and the code that runs it.
package struct MCPTool: Sendable {
    package typealias Handler = @Sendable (_ arguments: JSONObject, _ context: MCPRequestContext) async throws -> MCPToolResult

    package let name: String
    package let title: String?
    package let description: String
    package let inputSchema: JSONValue
    package let outputSchema: JSONValue?
    package let annotations: MCPToolAnnotations?
    let handler: Handler
    /// Compiled once, so validating each call's arguments is cheap.
    let inputValidator: JSONSchemaValidator

    /// - Throws: ``JSONSchemaError`` when `inputSchema` is not a schema the validator understands: a programming
    ///   error in the tool's definition, caught at start-up.
    package init(
        name: String, title: String? = nil, description: String, inputSchema: JSONValue,
        outputSchema: JSONValue? = nil, annotations: MCPToolAnnotations? = nil, handler: @escaping Handler
    ) throws(JSONSchemaError) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
        self.annotations = annotations
        self.handler = handler
        inputValidator = try JSONSchemaValidator(schema: inputSchema)
    }

    /// The tool's `tools/list` entry for a session at `version`: fields the version does not know are left out.
    package func definition(for version: MCPProtocolVersion) -> JSONValue {
        var object: JSONObject = ["name": .string(name)]
        if let title, version >= .v2025_06_18 { object["title"] = .string(title) }
        object["description"] = .string(description)
        object["inputSchema"] = inputSchema
        if let outputSchema, version >= .v2025_06_18 { object["outputSchema"] = outputSchema }
        if let annotations, version >= .v2025_03_26 { object["annotations"] = annotations.jsonValue }
        return .object(object)
    }
}
