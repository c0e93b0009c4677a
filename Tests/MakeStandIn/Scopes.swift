/// Make's API scopes (make-api.md §2.3 and make-catalog.md §1). Read scopes gate `GET`, write scopes the rest.
enum Scopes {
    static let all: Set<String> = [
        "agents:read", "agents:write", "apps:read", "connections:read", "connections:write",
        "credential-requests:read", "credential-requests:write", "custom-property-structures:read",
        "custom-property-structures:write", "datastores:read", "datastores:write", "devices:read", "devices:write",
        "dlqs:read", "dlqs:write", "functions:read", "functions:write", "hooks:read", "hooks:write", "keys:read",
        "keys:write", "mcp:use", "organizations:read", "organizations:write", "private-spaces:read",
        "private-spaces:write", "scenarios:read", "scenarios:run", "scenarios:write", "sdk-apps:read",
        "sdk-apps:write", "teams:read", "teams:write", "templates:read", "templates:write", "udts:read",
        "udts:write", "user:read", "user:write",
    ]

    /// OpenID Connect scopes a client may ask for besides the API scopes.
    static let openID: Set<String> = ["openid"]

    /// Scopes as Make writes them in requests: separated by spaces or commas.
    static func parse(_ text: String) -> Set<String> {
        Set(text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init))
    }
}
