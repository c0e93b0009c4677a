/// One argument a prompt takes.
package struct MCPPromptArgument: Sendable, Hashable {
    package var name: String
    package var description: String?
    package var isRequired: Bool

    package init(name: String, description: String? = nil, isRequired: Bool = false) {
        self.name = name
        self.description = description
        self.isRequired = isRequired
    }
}

/// One message of a prompt's result.
package struct MCPPromptMessage: Sendable, Hashable {
    package enum Role: String, Sendable {
        case user
        case assistant
    }

    package var role: Role
    package var content: MCPContent

    package init(role: Role, content: MCPContent) {
        self.role = role
        self.content = content
    }
}

/// A prompt template clients can list and fill in.
package struct MCPPrompt: Sendable {
    package typealias Renderer = @Sendable (
        _ arguments: [String: String], _ context: MCPRequestContext
    ) async throws -> (description: String?, messages: [MCPPromptMessage])
    /// Suggestions for one argument given what the user typed so far and the arguments already chosen.
    package typealias Completer = @Sendable (
        _ argument: String, _ prefix: String, _ chosen: [String: String], _ context: MCPRequestContext
    ) async throws -> [String]

    package let name: String
    package let title: String?
    package let description: String?
    package let arguments: [MCPPromptArgument]
    let render: Renderer
    let complete: Completer?

    package init(name: String, title: String? = nil, description: String? = nil, arguments: [MCPPromptArgument] = [],
                 render: @escaping Renderer, complete: Completer? = nil) {
        self.name = name
        self.title = title
        self.description = description
        self.arguments = arguments
        self.render = render
        self.complete = complete
    }

    func definition(for version: MCPProtocolVersion) -> JSONValue {
        var object: JSONObject = ["name": .string(name)]
        if let title, version >= .v2025_06_18 { object["title"] = .string(title) }
        if let description { object["description"] = .string(description) }
        object["arguments"] = .array(arguments.map { argument in
            var entry: JSONObject = ["name": .string(argument.name)]
            if let description = argument.description { entry["description"] = .string(description) }
            entry["required"] = .bool(argument.isRequired)
            return .object(entry)
        })
        return .object(object)
    }
}
