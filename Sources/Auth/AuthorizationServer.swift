package import Cryptography
internal import FoundationEssentials
package import MakeClient
package import Stores
internal import Synchronization

/// The gateway as the authorization server its MCP clients talk to (mcp.md §6.11): clients register here, users
/// consent here and sign in at Make with the gateway's own client and PKCE pair, and the gateway issues its own
/// tokens. Make's tokens stay in the ``MakeTokenVault``; the gateway's tokens, codes and client secrets are random
/// and stored only as hashes. Everything lives in a ``KeyValueStore``, so every replica can finish what another
/// started and nothing is lost on a restart.
package final class AuthorizationServer: Sendable {
    package let configuration: AuthConfiguration
    package let vault: MakeTokenVault
    /// Whether client ids may be metadata document URLs, as the metadata advertises.
    package var acceptsClientMetadataDocuments: Bool { clients.documents != nil }
    let records: RecordStore
    let clients: ClientRegistry
    private let keys: KeyRing
    private let oauth: MakeOAuthClient
    /// Where a freshly signed-in user's calls go: the API base of their organization's zone.
    private let baseURLLookup: @Sendable (_ makeAccessToken: String) async -> String
    private let validated = Mutex<[String: (token: ValidatedToken, at: ContinuousClock.Instant)]>([:])

    /// - Parameter baseURLLookup: Reads the signed-in user's zone with their Make access token (make-api.md §1.3).
    /// - Parameter documents: Client ID Metadata Documents, when the gateway accepts URLs as client ids.
    package init(configuration: AuthConfiguration, store: any KeyValueStore, keys: KeyRing, oauth: MakeOAuthClient,
                 documents: ClientMetadataDocuments? = nil,
                 baseURLLookup: @escaping @Sendable (_ makeAccessToken: String) async -> String) {
        self.configuration = configuration
        let records = RecordStore(store: store)
        self.records = records
        self.keys = keys
        self.oauth = oauth
        self.baseURLLookup = baseURLLookup
        clients = ClientRegistry(records: records, ttl: configuration.registrationTTL, documents: documents)
        vault = MakeTokenVault(records: records, keys: keys, oauth: oauth, refreshMargin: configuration.makeRefreshMargin)
    }

    // MARK: - Registration

    /// `POST /register` (RFC 7591).
    package func register(body: [UInt8]) async throws(AuthError) -> (ClientRegistration, secret: String?) {
        try await clients.register(try ClientRegistry.Metadata.parse(body))
    }

    // MARK: - Authorization and consent

    /// What the consent page shows and the decision it posts back.
    package struct ConsentRequest: Sendable {
        package var transactionID: String
        /// Set as a cookie with the page and required with the decision, so only the browser shown the page can
        /// approve it.
        package var browserBinding: String
        package var clientName: String
        package var clientID: String
        package var redirectHost: String
        package var scopes: [String]
    }

    /// Why `/authorize` cannot go on: shown on a page when the client or its redirect URI is not known good (never
    /// redirect to an unverified URI, RFC 6749 §4.1.2.1), otherwise sent back to the client.
    package enum AuthorizeFailure: Error, Sendable {
        case page(AuthError)
        case redirect(String)
    }

    /// `GET /authorize`: checks the request and keeps it for the consent page's decision.
    package func authorize(_ query: [String: String]) async throws(AuthorizeFailure) -> ConsentRequest {
        let client: ClientRegistration
        let redirectURI: String
        do {
            guard let found = try await clients.client(query["client_id"] ?? "") else {
                throw AuthError.invalidClient("unknown client_id; register the client first")
            }
            client = found
            if let asked = query["redirect_uri"] {
                guard ClientRegistry.matches(asked, registered: client.redirectURIs) else {
                    throw AuthError.invalidRequest("redirect_uri is not one this client registered")
                }
                redirectURI = asked
            } else if client.redirectURIs.count == 1 {
                redirectURI = client.redirectURIs[0]
            } else {
                throw AuthError.invalidRequest("redirect_uri is required: this client registered several")
            }
        } catch let error as AuthError {
            throw .page(error)
        } catch {
            throw .page(.serverError("\(error)"))
        }
        let state = query["state"]
        func refuse(_ error: AuthError) -> AuthorizeFailure {
            .redirect(redirect(redirectURI, [("error", error.code), ("error_description", error.message)], state: state))
        }
        guard query["response_type"] == "code" else {
            throw refuse(.unsupportedResponseType("response_type must be code"))
        }
        guard let challenge = query["code_challenge"], challenge.utf8.count == 43 else {
            throw refuse(.invalidRequest("PKCE is required: send code_challenge (S256, 43 characters)"))
        }
        guard query["code_challenge_method"] == "S256" else {
            throw refuse(.invalidRequest("code_challenge_method must be S256; plain is not accepted"))
        }
        let resource: String
        let scopes: [String]
        do {
            resource = try canonicalResource(query["resource"])
            scopes = try grantedScopes(query["scope"])
        } catch let error as AuthError {
            throw refuse(error)
        } catch {
            throw refuse(.serverError("\(error)"))
        }
        let transactionID: String
        let binding: String
        do {
            transactionID = try SecureRandom.token()
            binding = try SecureRandom.token()
            let pending = PendingSignIn(clientID: client.clientID, redirectURI: redirectURI, clientState: state,
                                        codeChallenge: challenge, scopes: scopes, resource: resource,
                                        sealedMakeVerifier: try ClientRegistry.hash(binding))
            try await records.put(pending, "consent:\(transactionID)", ttl: configuration.signInTTL)
        } catch let error as AuthError {
            throw refuse(error)
        } catch {
            throw refuse(.serverError("no random bytes"))
        }
        return ConsentRequest(
            transactionID: transactionID, browserBinding: binding,
            clientName: client.clientName ?? client.clientID, clientID: client.clientID,
            redirectHost: URL(string: redirectURI)?.host() ?? redirectURI, scopes: scopes)
    }

    /// The consent page's decision: on approval, Make's authorize URL (the gateway's own state and S256 challenge);
    /// on denial, the client's redirect URI with `access_denied`.
    package func decide(transactionID: String, browserBinding: String?, approved: Bool) async throws(AuthError)
        -> String
    {
        guard let pending = try await records.take(PendingSignIn.self, "consent:\(transactionID)") else {
            throw .invalidRequest("this sign-in has expired or was already decided; start again from the client")
        }
        guard let binding = browserBinding, let expected = pending.sealedMakeVerifier,
              ConstantTime.equals(Array(try ClientRegistry.hash(binding).utf8), Array(expected.utf8))
        else { throw .accessDenied("the decision did not come from the browser that was shown the consent page") }
        guard approved else {
            return redirect(pending.redirectURI, [("error", "access_denied"),
                                                  ("error_description", "the user denied access")],
                            state: pending.clientState)
        }
        let makeState: String
        let verifier: String
        do {
            makeState = try SecureRandom.token()
            verifier = try SecureRandom.token(byteCount: 48)
        } catch {
            throw .serverError("no random bytes")
        }
        var signIn = pending
        signIn.sealedMakeVerifier = try seal(verifier, context: makeState)
        try await records.put(signIn, "signin:\(makeState)", ttl: configuration.signInTTL)
        return oauth.authorizeURL(redirectURI: configuration.makeCallbackURL, scopes: Self.makeScopes(pending.scopes),
                                  state: makeState, codeChallenge: Self.challenge(for: verifier))
    }

    /// `GET /oauth/callback`: exchanges Make's code, keeps the user's Make tokens, and sends the browser back to the
    /// client with the gateway's own single-use code.
    ///
    /// - Throws: ``AuthError`` for a callback that matches no sign-in (shown on a page; nothing to redirect to).
    package func completeSignIn(state: String, code: String?, makeError: String?) async throws(AuthError) -> String {
        guard let signIn = try await records.take(PendingSignIn.self, "signin:\(state)") else {
            throw .invalidRequest("this sign-in has expired or was already completed; start again from the client")
        }
        func back(_ parameters: [(String, String)]) -> String {
            redirect(signIn.redirectURI, parameters, state: signIn.clientState)
        }
        if let makeError {
            let error = makeError == "access_denied" ? "access_denied" : "server_error"
            return back([("error", error), ("error_description", "Make answered the sign-in with \(makeError)")])
        }
        guard let code, let sealed = signIn.sealedMakeVerifier else {
            return back([("error", "server_error"), ("error_description", "Make sent no authorization code")])
        }
        let user: String
        do {
            let verifier = try open(sealed, context: state)
            let tokens = try await oauth.exchange(code: code, redirectURI: configuration.makeCallbackURL,
                                                  codeVerifier: verifier)
            user = try await oauth.subject(accessToken: tokens.accessToken)
            try await vault.store(tokens, user: user, baseURL: await baseURLLookup(tokens.accessToken))
        } catch let error as MakeOAuthClient.Failure {
            return back([("error", "server_error"), ("error_description", "\(error)")])
        } catch {
            return back([("error", "server_error"), ("error_description", "the Make sign-in could not be completed")])
        }
        let issued: String
        do {
            issued = "mcpgw_code_" + (try SecureRandom.token())
        } catch {
            throw .serverError("no random bytes")
        }
        let record = IssuedCode(clientID: signIn.clientID, redirectURI: signIn.redirectURI,
                                codeChallenge: signIn.codeChallenge, scopes: signIn.scopes, resource: signIn.resource,
                                user: user)
        try await records.put(record, "code:\(try ClientRegistry.hash(issued))", ttl: configuration.codeTTL)
        return back([("code", issued)])
    }

    // MARK: - Token endpoint

    /// A successful token response (RFC 6749 §5.1).
    package struct TokenResponse: Sendable {
        package var accessToken: String
        package var refreshToken: String
        package var expiresIn: Int
        package var scope: String
    }

    /// `POST /token`: the authorization-code and refresh-token grants.
    ///
    /// - Parameter basic: The client id and secret of an `Authorization: Basic` header.
    package func token(_ form: [String: String], basic: (id: String, secret: String)?) async throws(AuthError)
        -> TokenResponse
    {
        let client = try await authenticatedClient(form, basic: basic)
        switch form["grant_type"] {
        case "authorization_code": return try await redeem(form, client: client)
        case "refresh_token": return try await refresh(form, client: client)
        case nil, "": throw .invalidRequest("grant_type is required")
        case let other?: throw .unsupportedGrantType("grant_type \(other) is not supported")
        }
    }

    private func authenticatedClient(_ form: [String: String], basic: (id: String, secret: String)?)
        async throws(AuthError) -> ClientRegistration
    {
        guard let clientID = basic?.id ?? form["client_id"], !clientID.isEmpty else {
            throw .invalidClient("client_id is required")
        }
        guard let client = try await clients.client(clientID) else { throw .invalidClient("unknown client_id") }
        try clients.authenticate(client, secret: basic?.secret ?? form["client_secret"])
        return client
    }

    private func redeem(_ form: [String: String], client: ClientRegistration) async throws(AuthError)
        -> TokenResponse
    {
        guard let code = form["code"], !code.isEmpty else { throw .invalidRequest("code is required") }
        guard let verifier = form["code_verifier"], !verifier.isEmpty else {
            throw .invalidRequest("code_verifier is required (PKCE)")
        }
        let codeHash = try ClientRegistry.hash(code)
        guard let issued = try await records.take(IssuedCode.self, "code:\(codeHash)") else {
            // A code used twice may have been stolen: whatever it issued is revoked (RFC 6749 §4.1.2).
            if let grant = try await records.get(RefreshTokenRecord.self, "usedcode:\(codeHash)") {
                try await endGrant(grant.grantID)
            }
            throw .invalidGrant("the authorization code is unknown, expired or already used")
        }
        guard issued.clientID == client.clientID else { throw .invalidGrant("the code was issued to another client") }
        guard form["redirect_uri"] == nil || form["redirect_uri"] == issued.redirectURI else {
            throw .invalidGrant("redirect_uri does not match the authorization request")
        }
        guard ConstantTime.equals(Array(Self.challenge(for: verifier).utf8), Array(issued.codeChallenge.utf8)) else {
            throw .invalidGrant("code_verifier does not match the code_challenge")
        }
        if let resource = form["resource"], try canonicalResource(resource) != issued.resource {
            throw .invalidTarget("resource does not match the authorization request")
        }
        let grantID: String
        do {
            grantID = try SecureRandom.hexID()
        } catch {
            throw .serverError("no random bytes")
        }
        let grant = Grant(grantID: grantID, user: issued.user, clientID: client.clientID, scopes: issued.scopes,
                          resource: issued.resource, refreshHash: "")
        let response = try await issueTokens(for: grant)
        try await records.put(RefreshTokenRecord(grantID: grantID), "usedcode:\(codeHash)", ttl: .seconds(600))
        return response
    }

    private func refresh(_ form: [String: String], client: ClientRegistration) async throws(AuthError)
        -> TokenResponse
    {
        guard let token = form["refresh_token"], !token.isEmpty else {
            throw .invalidRequest("refresh_token is required")
        }
        let hash = try ClientRegistry.hash(token)
        guard let pointer = try await records.get(RefreshTokenRecord.self, "rt:\(hash)"),
              let grant = try await records.get(Grant.self, "grant:\(pointer.grantID)")
        else { throw .invalidGrant("the refresh token is unknown, expired or revoked") }
        guard grant.clientID == client.clientID else { throw .invalidGrant("the refresh token belongs to another client") }
        let isCurrent = hash == grant.refreshHash
        let isInGrace = hash == grant.previousRefreshHash
            && (grant.previousValidUntil ?? 0) > Date().timeIntervalSince1970
        guard isCurrent || isInGrace else {
            // A rotated refresh token presented after its grace: the grant is treated as stolen and ended.
            try await endGrant(grant.grantID)
            throw .invalidGrant("the refresh token was already used; sign in again")
        }
        guard try await vault.isSignedIn(grant.user) else {
            try await endGrant(grant.grantID)
            throw .invalidGrant("the Make sign-in behind this grant ended; sign in again")
        }
        var next = grant
        next.previousRefreshHash = hash
        next.previousValidUntil = Date().timeIntervalSince1970 + configuration.refreshGrace.seconds
        return try await issueTokens(for: next)
    }

    /// New access and refresh tokens for `grant`, which is saved with the new refresh token as its current one.
    private func issueTokens(for grant: Grant) async throws(AuthError) -> TokenResponse {
        let access: String
        let refresh: String
        do {
            access = "mcpgw_at_" + (try SecureRandom.token())
            refresh = "mcpgw_rt_" + (try SecureRandom.token())
        } catch {
            throw .serverError("no random bytes")
        }
        var saved = grant
        saved.refreshHash = try ClientRegistry.hash(refresh)
        let accessRecord = AccessTokenRecord(grantID: grant.grantID, user: grant.user, clientID: grant.clientID,
                                             scopes: grant.scopes, resource: grant.resource)
        try await records.put(saved, "grant:\(grant.grantID)", ttl: configuration.refreshTokenTTL)
        try await records.put(RefreshTokenRecord(grantID: grant.grantID), "rt:\(saved.refreshHash)",
                              ttl: configuration.refreshTokenTTL)
        try await records.put(accessRecord, "at:\(try ClientRegistry.hash(access))", ttl: configuration.accessTokenTTL)
        return TokenResponse(accessToken: access, refreshToken: refresh,
                             expiresIn: Int(configuration.accessTokenTTL.components.seconds),
                             scope: grant.scopes.joined(separator: " "))
    }

    // MARK: - Revocation

    /// `POST /revoke` (RFC 7009): either token ends its grant, here and at Make. Unknown tokens are no error.
    package func revoke(_ form: [String: String], basic: (id: String, secret: String)?) async throws(AuthError) {
        let client = try await authenticatedClient(form, basic: basic)
        guard let token = form["token"], !token.isEmpty else { throw .invalidRequest("token is required") }
        let hash = try ClientRegistry.hash(token)
        let grantID: String?
        if let access = try await records.get(AccessTokenRecord.self, "at:\(hash)") {
            grantID = access.grantID
            try await records.delete("at:\(hash)")
        } else {
            grantID = try await records.get(RefreshTokenRecord.self, "rt:\(hash)")?.grantID
        }
        guard let grantID, let grant = try await records.get(Grant.self, "grant:\(grantID)"),
              grant.clientID == client.clientID
        else { return }
        try await endGrant(grantID)
        await vault.revoke(user: grant.user)
    }

    /// Ends a grant: its tokens stop working on this replica at once and on the others within the validation
    /// cache's time.
    private func endGrant(_ grantID: String) async throws(AuthError) {
        try await records.delete("grant:\(grantID)")
        validated.withLock { cache in cache = cache.filter { $0.value.token.grantID != grantID } }
    }

    // MARK: - Bearer validation

    /// Who a gateway access token stands for.
    package struct ValidatedToken: Sendable, Equatable {
        package var user: String
        package var clientID: String
        package var scopes: [String]
        package var resource: String
        var grantID: String
    }

    /// The token's meaning if it was validated recently, without suspending; nil when ``validate(_:)`` must look.
    package func cachedValidation(_ token: String) -> ValidatedToken? {
        guard token.hasPrefix("mcpgw_at_"), let hash = try? ClientRegistry.hash(token) else { return nil }
        let now = ContinuousClock.now
        guard let cached = validated.withLock({ $0[hash] }), now - cached.at < configuration.validationCacheTTL else {
            return nil
        }
        return cached.token
    }

    /// The token's meaning, or nil when it is unknown, expired or revoked. A recent answer comes from memory (see
    /// ``AuthConfiguration/validationCacheTTL``), so most requests cost no store round trip.
    package func validate(_ token: String) async throws(AuthError) -> ValidatedToken? {
        guard token.hasPrefix("mcpgw_at_"), token.utf8.count < 256 else { return nil }
        let hash = try ClientRegistry.hash(token)
        let now = ContinuousClock.now
        if let cached = validated.withLock({ $0[hash] }), now - cached.at < configuration.validationCacheTTL {
            return cached.token
        }
        guard let record = try await records.get(AccessTokenRecord.self, "at:\(hash)"),
              try await records.get(Grant.self, "grant:\(record.grantID)") != nil,
              try await vault.isSignedIn(record.user)
        else {
            validated.withLock { _ = $0.removeValue(forKey: hash) }
            return nil
        }
        let token = ValidatedToken(user: record.user, clientID: record.clientID, scopes: record.scopes,
                                   resource: record.resource, grantID: record.grantID)
        validated.withLock { cache in
            if cache.count > 100_000 { cache.removeAll() }
            cache[hash] = (token, now)
        }
        return token
    }

    // MARK: - Helpers

    /// `resource` (RFC 8707) as the gateway compares it: no query or fragment (ChatGPT appends a query), no
    /// trailing slash; it must be the gateway or a path under it. Absent means the gateway itself.
    func canonicalResource(_ value: String?) throws(AuthError) -> String {
        guard let value, !value.isEmpty else { return configuration.issuer }
        var text = value
        if let cut = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = String(text[..<cut]) }
        while text.hasSuffix("/") { text.removeLast() }
        let issuer = configuration.issuer
        guard text.lowercased() == issuer.lowercased() || text.lowercased().hasPrefix(issuer.lowercased() + "/") else {
            throw .invalidTarget("resource must be this gateway, \(issuer), or a path under it")
        }
        return text
    }

    /// The scopes a request gets: those it asked for (all known), or the defaults when it named none.
    func grantedScopes(_ requested: String?) throws(AuthError) -> [String] {
        let asked = (requested ?? "").split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
            .filter { $0 != "offline_access" }
        guard !asked.isEmpty else { return configuration.defaultScopes }
        let unknown = asked.filter { !configuration.supportedScopes.contains($0) }
        guard unknown.isEmpty else { throw .invalidScope("unknown scope \(unknown.joined(separator: ", "))") }
        return Array(Set(asked)).sorted()
    }

    /// What the gateway asks Make for: the granted Make scopes, and `openid` to learn who signed in.
    static func makeScopes(_ scopes: [String]) -> [String] {
        scopes.filter { $0.contains(":") } + ["openid"]
    }

    static func challenge(for verifier: String) -> String {
        Base64URL.encode((try? SHA256.hash(Array(verifier.utf8))) ?? [])
    }

    /// The redirect back to the client: its parameters, its `state`, and `iss` (RFC 9207).
    private func redirect(_ uri: String, _ parameters: [(String, String)], state: String?) -> String {
        var all = parameters
        if let state { all.append(("state", state)) }
        all.append(("iss", configuration.issuer))
        let separator = uri.contains("?") ? "&" : "?"
        return uri + separator + all.map { "\(MakeRequest.encode($0.0))=\(MakeRequest.encode($0.1))" }
            .joined(separator: "&")
    }

    private func seal(_ text: String, context: String) throws(AuthError) -> String {
        do {
            return try keys.seal(Array(text.utf8), associatedData: Array(context.utf8)).base64URLEncoded
        } catch {
            throw .serverError("sealing failed")
        }
    }

    private func open(_ sealed: String, context: String) throws(AuthError) -> String {
        do {
            return String(decoding: try keys.open(try SealedToken(base64URLEncoded: sealed),
                                                  associatedData: Array(context.utf8)), as: UTF8.self)
        } catch {
            throw .invalidRequest("the sign-in record cannot be opened")
        }
    }
}

extension Duration {
    /// The duration in seconds, fractions kept.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
