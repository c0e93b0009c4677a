internal import Cryptography
internal import FoundationEssentials

/// Dynamic client registration (RFC 7591) and the redirect URIs the gateway accepts: loopback callbacks on any port
/// (RFC 8252 §7.3; Claude Code and the SDKs use `http://localhost:<port>/callback`), https callbacks (claude.ai's
/// `https://claude.ai/api/mcp/auth_callback`, ChatGPT's), and the custom schemes of known desktop clients. Plain
/// http elsewhere, `javascript:` and fragments are refused.
struct ClientRegistry: Sendable {
    let records: RecordStore
    let ttl: Duration
    /// Metadata documents as client ids; nil when the gateway does not accept them.
    let documents: ClientMetadataDocuments?
    /// How long a fetched metadata document is kept.
    static let documentTTL: Duration = .seconds(600)

    /// Custom URI schemes of desktop clients that register them (Cursor, VS Code, Claude Desktop).
    static let knownClientSchemes: Set<String> = ["cursor", "vscode", "vscode-insiders", "claude"]

    static func key(_ clientID: String) -> String { "client:\(clientID)" }

    /// The RFC 7591 metadata the gateway reads; the rest is ignored, as the RFC allows.
    struct Metadata: Decodable {
        var redirect_uris: [String]?
        var token_endpoint_auth_method: String?
        var grant_types: [String]?
        var response_types: [String]?
        var client_name: String?

        static func parse(_ body: [UInt8]) throws(AuthError) -> Metadata {
            do {
                return try JSONDecoder().decode(Metadata.self, from: Data(body))
            } catch {
                throw .invalidClientMetadata("the body must be a JSON object of client metadata (RFC 7591)")
            }
        }
    }

    /// Registers a client from its metadata; a confidential one (asking for `client_secret_post` or
    /// `client_secret_basic`) gets a secret, returned once and kept only as its hash.
    func register(_ metadata: Metadata) async throws(AuthError) -> (ClientRegistration, secret: String?) {
        guard let redirectURIs = metadata.redirect_uris, !redirectURIs.isEmpty else {
            throw .invalidRedirectURI("redirect_uris must be a non-empty array of URIs")
        }
        for uri in redirectURIs where !Self.isAllowedRedirect(uri) {
            throw .invalidRedirectURI(
                "\(uri) is not accepted: use a loopback http URI (any port), an https URI or a known client scheme")
        }
        // RFC 7591 defaults to client_secret_basic, but MCP clients that omit it expect to be public (mcp.md §6.5).
        let method = metadata.token_endpoint_auth_method ?? "none"
        guard ["none", "client_secret_post", "client_secret_basic"].contains(method) else {
            throw .invalidClientMetadata("token_endpoint_auth_method must be none, client_secret_post or "
                + "client_secret_basic")
        }
        if let grants = metadata.grant_types,
           !Set(grants).isSubset(of: ["authorization_code", "refresh_token"])
        {
            throw .invalidClientMetadata("grant_types may hold authorization_code and refresh_token only")
        }
        if let types = metadata.response_types, types != ["code"] {
            throw .invalidClientMetadata("response_types must be [\"code\"]")
        }
        let name = metadata.client_name.map { String($0.prefix(100)) }
        let clientID: String
        var secret: String?
        do {
            clientID = "mcpgw-client-" + (try SecureRandom.hexID())
            if method != "none" { secret = try SecureRandom.token() }
        } catch {
            throw .serverError("no random bytes for a client id")
        }
        let registration = ClientRegistration(
            clientID: clientID, clientName: name, redirectURIs: redirectURIs, tokenEndpointAuthMethod: method,
            secretHash: try secret.map(Self.hash), issuedAt: Int64(Date().timeIntervalSince1970))
        try await records.put(registration, Self.key(clientID), ttl: ttl)
        return (registration, secret)
    }

    /// A registered client, or the client a metadata document URL describes (fetched, then kept a while).
    ///
    /// - Throws: ``AuthError/invalidClient(_:)`` for a metadata document that cannot be fetched or is not valid.
    func client(_ clientID: String) async throws(AuthError) -> ClientRegistration? {
        guard !clientID.isEmpty, clientID.utf8.count <= 2048 else { return nil }
        if let documents, ClientMetadataDocuments.isDocumentURL(clientID) {
            let key = "cimd:\(try Self.hash(clientID))"
            if let cached = try await records.get(ClientRegistration.self, key) { return cached }
            let client = try await documents.fetch(clientID)
            try await records.put(client, key, ttl: Self.documentTTL)
            return client
        }
        return try await records.get(ClientRegistration.self, Self.key(clientID))
    }

    /// Checks a confidential client's secret, in constant time on the hashes.
    func authenticate(_ client: ClientRegistration, secret: String?) throws(AuthError) {
        guard let expected = client.secretHash else { return }
        guard let secret, ConstantTime.equals(Array(try Self.hash(secret).utf8), Array(expected.utf8)) else {
            throw .invalidClient("client authentication failed")
        }
    }

    static func hash(_ secret: String) throws(AuthError) -> String {
        do {
            return try SHA256.hexDigest(Array(secret.utf8))
        } catch {
            throw .serverError("hashing failed")
        }
    }

    static func isAllowedRedirect(_ uri: String) -> Bool {
        guard uri.utf8.count <= 2048, let url = URL(string: uri), let scheme = url.scheme?.lowercased(),
              url.fragment() == nil
        else { return false }
        switch scheme {
        case "https":
            return url.host()?.isEmpty == false
        case "http":
            return ["localhost", "127.0.0.1", "[::1]", "::1"].contains(url.host()?.lowercased() ?? "")
        default:
            return knownClientSchemes.contains(scheme)
        }
    }

    /// Whether `requested` is one of the client's redirect URIs. Loopback URIs match on any port (RFC 8252 §7.3):
    /// native clients pick a free port per sign-in.
    static func matches(_ requested: String, registered: [String]) -> Bool {
        if registered.contains(requested) { return true }
        guard let asked = URL(string: requested), asked.scheme == "http" else { return false }
        return registered.contains { uri in
            guard let known = URL(string: uri), known.scheme == "http" else { return false }
            return known.host() == asked.host() && known.path() == asked.path() && known.query() == asked.query()
        }
    }
}
