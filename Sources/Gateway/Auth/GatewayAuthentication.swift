internal import Auth
internal import Cryptography
internal import FoundationEssentials
internal import Logging
internal import MakeClient
internal import OutboundHTTP
internal import Stores

/// The gateway's authentication, assembled from the configuration by mode: OAuth (`MAKE_CLIENT_ID`), static token
/// (`MAKE_API_TOKEN`, with or without `GATEWAY_API_KEYS`), or none (no Make credentials; only the gateway's own tools).
struct GatewayAuthentication: Sendable {
    let mcp: MCPAuthentication
    /// Whose Make credentials each session uses; nil when the gateway has none.
    let makeAccess: (any MakeAccess)?
    /// The authorization server's routes, in OAuth mode.
    let routes: OAuthRoutes?

    static func make(
        configuration: GatewayConfiguration, store: any KeyValueStore, http: HTTPClient,
        makeClient: LateBound<MakeAPIClient>, logger: Logger
    ) throws -> GatewayAuthentication {
        let keys = try configuration.gatewayAPIKeys.map { try SHA256.hash(Array($0.revealedValue.utf8)) }
        guard let clientID = configuration.makeClientID, let secret = configuration.makeClientSecret,
              let key = configuration.tokenEncryptionKey
        else {
            let access = try configuration.makeAPIToken.map {
                try StaticTokenAccess(baseURL: configuration.makeAPIURL, token: $0)
            }
            return GatewayAuthentication(mcp: keys.isEmpty ? .none : .apiKeys(digests: keys), makeAccess: access,
                                         routes: nil)
        }
        let ring = try KeyRing(
            currentKeyID: UInt8(configuration.tokenEncryptionKeyID), currentKey: try symmetricKey(key),
            previousKeys: Dictionary(uniqueKeysWithValues: try configuration.tokenPreviousKeys.map {
                (UInt8($0.key), try symmetricKey($0.value))
            }))
        let issuer = configuration.effectivePublicURL
        var authConfiguration = AuthConfiguration(
            issuer: issuer, makeCallbackURL: issuer + "/oauth/callback", supportedScopes: MakeCatalog.allScopes,
            defaultScopes: MakeCatalog.defaultScopes)
        authConfiguration.accessTokenTTL = configuration.gatewayTokenTTL
        authConfiguration.refreshTokenTTL = configuration.gatewayRefreshTokenTTL
        authConfiguration.validationCacheTTL = configuration.authValidationCacheTTL
        authConfiguration.codeTTL = configuration.oauthCodeTTL
        authConfiguration.refreshGrace = configuration.oauthRefreshGrace
        let oauth = MakeOAuthClient(baseURL: configuration.makeOAuthURL, clientID: clientID,
                                    clientSecret: secret.revealedValue, http: http)
        let apiURL = configuration.makeAPIURL
        let documents = configuration.clientMetadataDocuments
            ? ClientMetadataDocuments(http: http, allowsLocalAddresses: configuration.clientMetadataAllowLocal) : nil
        let server = AuthorizationServer(configuration: authConfiguration, store: store, keys: ring, oauth: oauth,
                                         documents: documents) { accessToken in
            await zoneBaseURL(accessToken: accessToken, apiURL: apiURL, client: makeClient.value)
        }
        var authLogger = logger
        authLogger[metadataKey: "component"] = "auth"
        let routes = OAuthRoutes(server: server, issuer: issuer, pathPrefix: configuration.publicPathPrefix,
                                 logger: authLogger)
        return GatewayAuthentication(
            mcp: .oauth(server, metadataBase: routes.metadataBase, challengeScopes: MakeCatalog.defaultScopes),
            makeAccess: OAuthMakeAccess(vault: server.vault), routes: routes)
    }

    private static func symmetricKey(_ secret: Secret) throws -> SymmetricKey {
        try SymmetricKey(base64Encoded: secret.revealedValue)
    }

    /// The API base of the signed-in user's first organization's zone (make-api.md §1.3), same scheme as
    /// `MAKE_API_URL`; `MAKE_API_URL` itself when the organizations cannot be read.
    private static func zoneBaseURL(accessToken: String, apiURL: String, client: MakeAPIClient?) async -> String {
        guard let client,
              let response = try? await client.send(
                MakeRequest(method: "GET", path: "/organizations", query: [("cols[]", "*")]), baseURL: apiURL,
                authorization: MakeAuthorization(.oauth, token: accessToken), organization: nil),
              let organizations = try? JSONDecoder().decode(Organizations.self, from: Data(response.body)),
              let zone = organizations.organizations.first?.zone, !zone.isEmpty
        else { return apiURL }
        let scheme = apiURL.lowercased().hasPrefix("http://") ? "http" : "https"
        return "\(scheme)://\(zone)/api/v2"
    }

    private struct Organizations: Decodable {
        struct Organization: Decodable { var zone: String? }
        var organizations: [Organization]
    }
}
