/// One block of a tool result or prompt message (MCP §Tools, content types).
package enum MCPContent: Sendable, Hashable {
    case text(String)
    case image(base64Data: String, mimeType: String)
    /// A link the client may read through `resources/read` (2025-06-18 and later).
    case resourceLink(uri: String, name: String, mimeType: String?)
    /// A resource embedded with its text.
    case resource(uri: String, mimeType: String?, text: String)

    /// The block as JSON for a session at `version`; a resource link becomes an embedded text for older sessions,
    /// which do not know the type.
    package func jsonValue(for version: MCPProtocolVersion) -> JSONValue {
        switch self {
        case .text(let text):
            return ["type": "text", "text": .string(text)]
        case .image(let data, let mimeType):
            return ["type": "image", "data": .string(data), "mimeType": .string(mimeType)]
        case .resourceLink(let uri, let name, let mimeType):
            guard version >= .v2025_06_18 else {
                return ["type": "text", "text": .string("\(name): \(uri)")]
            }
            var object: JSONObject = ["type": "resource_link", "uri": .string(uri), "name": .string(name)]
            if let mimeType { object["mimeType"] = .string(mimeType) }
            return .object(object)
        case .resource(let uri, let mimeType, let text):
            var resource: JSONObject = ["uri": .string(uri), "text": .string(text)]
            if let mimeType { resource["mimeType"] = .string(mimeType) }
            return ["type": "resource", "resource": .object(resource)]
        }
    }
}
