internal import FoundationEssentials
package import OutboundHTTP

/// Client ID Metadata Documents (MCP 2025-11-25, mcp.md §6.6): a client id that is an https URL names a JSON
/// document describing the client, which the gateway fetches itself. The URL is the client's choice, so the fetch is
/// guarded against server-side request forgery: https only, the connection refused to loopback, private and
/// link-local addresses (checked on the address curl connects to), no redirects, a small size and time cap.
package struct ClientMetadataDocuments: Sendable {
    let http: HTTPClient
    /// For tests only: allows `http://` and local addresses, so a document can be served on loopback.
    let allowsLocalAddresses: Bool

    static let maxBytes = 16 * 1024
    static let timeout: Duration = .seconds(5)

    package init(http: HTTPClient, allowsLocalAddresses: Bool) {
        self.http = http
        self.allowsLocalAddresses = allowsLocalAddresses
    }

    /// Whether a client id is a metadata document URL rather than a registered id.
    static func isDocumentURL(_ clientID: String) -> Bool {
        clientID.hasPrefix("https://") || clientID.hasPrefix("http://")
    }

    func fetch(_ url: String) async throws(AuthError) -> ClientRegistration {
        guard let parsed = URL(string: url), parsed.fragment() == nil, parsed.path().count > 1,
              url.hasPrefix("https://") || (allowsLocalAddresses && url.hasPrefix("http://"))
        else {
            throw .invalidClient("a client id URL must be https with a path (Client ID Metadata Document)")
        }
        let response: OutboundResponse
        do {
            response = try await http.send(OutboundRequest(
                method: "GET", url: url, headers: [("Accept", "application/json")], timeout: Self.timeout,
                maxResponseBytes: Self.maxBytes, refusesNonPublicAddresses: !allowsLocalAddresses))
        } catch {
            throw .invalidClient("the client's metadata document could not be fetched: \(error)")
        }
        guard response.status == 200 else {
            throw .invalidClient("the client's metadata document answered HTTP \(response.status)")
        }
        struct Document: Decodable {
            var client_id: String
            var client_name: String?
            var redirect_uris: [String]
            var token_endpoint_auth_method: String?
        }
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(response.body)) else {
            throw .invalidClient("the client's metadata document is not a JSON client description")
        }
        guard document.client_id == url else {
            throw .invalidClient("the metadata document's client_id is not the URL it was fetched from")
        }
        guard (document.token_endpoint_auth_method ?? "none") == "none" else {
            throw .invalidClient("metadata-document clients must be public (token_endpoint_auth_method none)")
        }
        guard !document.redirect_uris.isEmpty, document.redirect_uris.allSatisfy(ClientRegistry.isAllowedRedirect)
        else { throw .invalidClient("the metadata document's redirect_uris are missing or not accepted") }
        return ClientRegistration(
            clientID: url, clientName: document.client_name.map { String($0.prefix(100)) },
            redirectURIs: document.redirect_uris, tokenEndpointAuthMethod: "none", secretHash: nil,
            issuedAt: Int64(Date().timeIntervalSince1970))
    }
}
