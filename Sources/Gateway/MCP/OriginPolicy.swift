internal import HTTPServer

/// Which browser origins may call the MCP endpoints (MCP §Transports, security: servers MUST validate `Origin`).
///
/// Requests without `Origin` come from non-browser clients and pass. Others must match `PUBLIC_URL`'s origin or one
/// listed in `ALLOWED_ORIGINS`, compared case-insensitively with default ports dropped.
struct OriginPolicy: Sendable {
    private let allowed: Set<String>

    init(publicURL: String, additional: [String]) {
        allowed = Set(([publicURL] + additional).compactMap(Self.normalizedOrigin))
    }

    /// The refusal for a request whose origin is not allowed, or nil.
    func refusal(for request: HTTPRequest) -> MCPTransportError? {
        guard let origin = request.headers["Origin"] else { return nil }
        guard let normalized = Self.normalizedOrigin(origin), allowed.contains(normalized) else {
            return .originNotAllowed(origin.count <= 100 ? origin : String(origin.prefix(100)) + "…")
        }
        return nil
    }

    /// `scheme://host[:port]` in lowercase without a default port, or nil for anything that is not an http(s) origin
    /// (including the `null` origin of sandboxed pages).
    static func normalizedOrigin(_ text: String) -> String? {
        let lowered = text.lowercased()
        let scheme: String
        let defaultPort: String
        if lowered.hasPrefix("https://") {
            (scheme, defaultPort) = ("https", "443")
        } else if lowered.hasPrefix("http://") {
            (scheme, defaultPort) = ("http", "80")
        } else {
            return nil
        }
        var authority = lowered.dropFirst(scheme.count + 3).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty else { return nil }
        if authority.hasSuffix(":\(defaultPort)") { authority = authority.dropLast(defaultPort.count + 1) }
        return "\(scheme)://\(authority)"
    }
}
