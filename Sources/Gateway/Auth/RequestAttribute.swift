/// The ``HTTPRequest/attributes`` the authentication in front of the MCP endpoints sets for the handlers behind it.
enum RequestAttribute {
    /// `user:<Make sub>` for a signed-in user, `key:<digest>` for an API key.
    static let principal = "principal"
}
