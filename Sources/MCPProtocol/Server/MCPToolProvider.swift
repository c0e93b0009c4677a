/// Decides which tools one session sees, when that depends on more than the registry: a selection the client asked
/// for when it connected, or tools made from the user's own data (a Make scenario becomes a tool). Without a
/// provider every session sees the registry's tools.
package protocol MCPToolProvider: Sendable {
    /// The session's tools in listing order when they are known without waiting; nil when ``loadTools(for:)`` has to
    /// run first, in which case `tools/list` and `tools/call` are answered once it has.
    func tools(for session: MCPSession) -> [MCPTool]?

    /// Fetches the session's tools and keeps them for ``tools(for:)``.
    func loadTools(for session: MCPSession) async -> [MCPTool]

    /// The session's tool named `name`: `.some(tool)`, `.some(nil)` when it has none of that name, nil when its
    /// tools must be loaded first. A call looks up one tool, so a provider can answer without building the list.
    func tool(named name: String, for session: MCPSession) -> MCPTool??
}

extension MCPToolProvider {
    package func tool(named name: String, for session: MCPSession) -> MCPTool?? {
        tools(for: session).map { tools in tools.first { $0.name == name } }
    }
}
