/// An MCP protocol revision this gateway speaks, ordered oldest to newest. The negotiated version governs the rest
/// of a session: the `MCP-Protocol-Version` header, batching, and which result fields may be sent.
package enum MCPProtocolVersion: String, CaseIterable, Comparable, Sendable {
    /// The first release: HTTP+SSE transport, no batching.
    case v2024_11_05 = "2024-11-05"
    /// Streamable HTTP; the only version with JSON-RPC batches.
    case v2025_03_26 = "2025-03-26"
    /// Batching removed; `MCP-Protocol-Version` header required after `initialize`.
    case v2025_06_18 = "2025-06-18"
    /// CIMD, icons, tasks, priming events.
    case v2025_11_25 = "2025-11-25"

    /// The newest supported version, answered when a client asks for one we do not know.
    package static let latest = MCPProtocolVersion.v2025_11_25

    /// The version to answer `initialize` with: the client's own if supported, otherwise ``latest``
    /// (MCP §Lifecycle, version negotiation). The client disconnects if it cannot use the answer.
    package static func negotiate(requested: String) -> MCPProtocolVersion {
        MCPProtocolVersion(rawValue: requested) ?? latest
    }

    /// The supported versions newest first, comma-separated, as error messages and `data.supported` list them.
    package static var supportedList: String {
        allCases.reversed().map(\.rawValue).joined(separator: ", ")
    }

    /// Whether a JSON array of messages may be sent in this version: only 2025-03-26 allowed batches.
    package var allowsBatching: Bool {
        self == .v2025_03_26
    }

    package static func < (lhs: MCPProtocolVersion, rhs: MCPProtocolVersion) -> Bool {
        // ISO dates compare correctly as strings.
        lhs.rawValue < rhs.rawValue
    }
}
