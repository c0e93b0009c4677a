import Foundation
import HTTPServer
import Synchronization

/// Make's OAuth 2.0 authorization server (make-api.md §2.2) for one registered confidential client: authorization
/// codes with PKCE S256 only, tokens by `client_secret_post`, rotating refresh tokens, revocation and userinfo.
///
/// The authorize step approves at once (there is no person to ask) unless the request carries `deny=1` or a control
/// call asked for the next one to be denied.
final class OAuthServer: Sendable {
    /// A refusal from the token endpoint, in RFC 6749 §5.2 form.
    struct Failure: Error {
        var error: String
        var description: String
        var status: HTTPStatus = .badRequest

        var response: HTTPResponse {
            var headers: HTTPHeaders = ["Cache-Control": "no-store", "Pragma": "no-cache"]
            if status == .unauthorized { headers.add(name: "WWW-Authenticate", value: #"Basic realm="make""#) }
            let body: JSON = ["error": .string(error), "error_description": .string(description)]
            return .json(status, body.encoded, headers: headers)
        }
    }

    private struct PendingCode {
        var subject: String
        var clientID: String
        var redirectURI: String
        var challenge: String
        var scopes: [String]
        var expires: ContinuousClock.Instant
    }

    private struct AccessToken {
        var subject: String
        var grantID: String
        var scopes: [String]
        var expires: ContinuousClock.Instant
    }

    private struct RefreshToken {
        var subject: String
        var grantID: String
        var scopes: [String]
    }

    private struct State {
        var codes: [String: PendingCode] = [:]
        var accessTokens: [String: AccessToken] = [:]
        var refreshTokens: [String: RefreshToken] = [:]
        /// Refusals the next refresh grants answer with, oldest first.
        var refreshFailures: [Failure] = []
        var authorizationsToDeny = 0
        /// Who signs in at the next authorizations, oldest first; user 1 when none is queued.
        var nextSubjects: [String] = []
    }

    private let settings: StandInSettings
    private let state = Mutex(State())

    init(settings: StandInSettings) {
        self.settings = settings
    }

    // MARK: - Authorization endpoint

    /// `GET /oauth/v2/authorize`: a 302 to the redirect URI with `code` and `state`, or with `error` once the client
    /// and redirect URI are known good; a 400 otherwise, since an unverified redirect must not be followed
    /// (RFC 6749 §4.1.2.1).
    func authorize(_ query: QueryItems) -> HTTPResponse {
        guard query["client_id"] == settings.oauthClientID else {
            return Failure(error: "invalid_client", description: "Unknown client_id.").response
        }
        guard let redirectURI = query["redirect_uri"], redirectURI.hasPrefix(settings.oauthRedirectURIPrefix) else {
            return Failure(
                error: "invalid_request",
                description: "redirect_uri is missing or not registered for this client."
            ).response
        }
        let clientState = query["state"]
        func redirect(_ parameters: [(String, String)]) -> HTTPResponse {
            var all = parameters
            if let clientState { all.append(("state", clientState)) }
            let separator = redirectURI.contains("?") ? "&" : "?"
            let location =
                redirectURI + separator
                + all.map { "\($0)=\(FormEncoding.encode($1))" }
                .joined(separator: "&")
            return HTTPResponse(status: .found, headers: ["Location": location, "Cache-Control": "no-store"])
        }
        func refuse(_ error: String, _ description: String) -> HTTPResponse {
            redirect([("error", error), ("error_description", description)])
        }

        guard query["response_type"] == "code" else {
            return refuse("unsupported_response_type", "response_type must be code.")
        }
        guard let challenge = query["code_challenge"], !challenge.isEmpty else {
            return refuse("invalid_request", "code_challenge is required.")
        }
        guard query["code_challenge_method"] == "S256" else {
            return refuse("invalid_request", "code_challenge_method must be S256; plain is not supported.")
        }
        guard challenge.count == 43, challenge.allSatisfy(FormEncoding.isBase64URL) else {
            return refuse("invalid_request", "code_challenge must be a base64url SHA-256 digest (43 characters).")
        }
        let scopes = Scopes.parse(query["scope"] ?? "")
        guard !scopes.isEmpty else { return refuse("invalid_scope", "scope is required.") }
        let unknown = scopes.subtracting(Scopes.all).subtracting(Scopes.openID)
        guard unknown.isEmpty else {
            return refuse("invalid_scope", "Unknown scope: \(unknown.sorted().joined(separator: ", ")).")
        }
        let isDenied =
            query["deny"] == "1"
            || state.withLock { state in
                guard state.authorizationsToDeny > 0 else { return false }
                state.authorizationsToDeny -= 1
                return true
            }
        if isDenied { return refuse("access_denied", "The user denied the request.") }

        let code = RandomID.hex(40)
        let subject = state.withLock { $0.nextSubjects.isEmpty ? "1" : $0.nextSubjects.removeFirst() }
        let pending = PendingCode(
            subject: subject, clientID: settings.oauthClientID, redirectURI: redirectURI, challenge: challenge,
            scopes: scopes.sorted(), expires: .now + settings.authorizationCodeTTL)
        state.withLock { $0.codes[code] = pending }
        return redirect([("code", code)])
    }

    // MARK: - Token endpoint

    /// `POST /oauth/v2/token` with a form body: the authorization-code and refresh-token grants.
    func token(_ form: QueryItems, issuer: String) -> HTTPResponse {
        do {
            guard let grantType = form["grant_type"], !grantType.isEmpty else {
                throw Failure(error: "invalid_request", description: "grant_type is required.")
            }
            try authenticateClient(form)
            let body: JSON
            switch grantType {
            case "authorization_code": body = try exchangeCode(form, issuer: issuer)
            case "refresh_token": body = try refresh(form, issuer: issuer)
            default:
                throw Failure(error: "unsupported_grant_type", description: "grant_type \(grantType) is not supported.")
            }
            return .json(.ok, body.encoded, headers: ["Cache-Control": "no-store", "Pragma": "no-cache"])
        } catch let failure as Failure {
            return failure.response
        } catch {
            return Failure(error: "server_error", description: "\(error)", status: .internalServerError).response
        }
    }

    /// Make takes the client's credentials in the form body only (`client_secret_post`).
    private func authenticateClient(_ form: QueryItems) throws {
        guard form["client_id"] == settings.oauthClientID, form["client_secret"] == settings.oauthClientSecret else {
            throw Failure(
                error: "invalid_client", description: "Client authentication failed.",
                status: .unauthorized)
        }
    }

    private func exchangeCode(_ form: QueryItems, issuer: String) throws -> JSON {
        guard let code = form["code"], !code.isEmpty else {
            throw Failure(error: "invalid_request", description: "code is required.")
        }
        // A code is used up by its first redemption, successful or not (single use, make-api.md §2.2).
        let pending = state.withLock { $0.codes.removeValue(forKey: code) }
        guard let pending, pending.expires > .now else {
            throw Failure(error: "invalid_grant", description: "The authorization code is invalid or has expired.")
        }
        guard pending.clientID == form["client_id"] else {
            throw Failure(error: "invalid_grant", description: "The code was issued to another client.")
        }
        guard form["redirect_uri"] == pending.redirectURI else {
            throw Failure(error: "invalid_grant", description: "redirect_uri does not match the authorization request.")
        }
        guard let verifier = form["code_verifier"], !verifier.isEmpty else {
            throw Failure(error: "invalid_request", description: "code_verifier is required.")
        }
        guard Base64URL.encode(SHA256.hash(Array(verifier.utf8))) == pending.challenge else {
            throw Failure(error: "invalid_grant", description: "code_verifier does not match the code_challenge.")
        }
        return issueTokens(subject: pending.subject, grantID: RandomID.hex(16), scopes: pending.scopes, issuer: issuer)
    }

    private func refresh(_ form: QueryItems, issuer: String) throws -> JSON {
        guard let token = form["refresh_token"], !token.isEmpty else {
            throw Failure(error: "invalid_request", description: "refresh_token is required.")
        }
        let outcome = state.withLock { state -> Result<RefreshToken, Failure> in
            if !state.refreshFailures.isEmpty { return .failure(state.refreshFailures.removeFirst()) }
            // Rotation: the presented refresh token is spent whatever happens next.
            guard let stored = state.refreshTokens.removeValue(forKey: token) else {
                return .failure(
                    Failure(error: "invalid_grant", description: "The refresh token is invalid or revoked."))
            }
            return .success(stored)
        }
        let stored = try outcome.get()
        return issueTokens(subject: stored.subject, grantID: stored.grantID, scopes: stored.scopes, issuer: issuer)
    }

    private func issueTokens(subject: String, grantID: String, scopes: [String], issuer: String) -> JSON {
        let lifetime = settings.accessTokenTTL
        let seconds = Int(lifetime / .seconds(1))
        let accessToken = Self.makeJWT(
            issuer: issuer, audience: settings.oauthClientID, lifetimeSeconds: seconds,
            extra: ["scope": .string(scopes.joined(separator: " "))])
        let refreshToken = Self.makeJWT(
            issuer: issuer, audience: settings.oauthClientID,
            lifetimeSeconds: 180 * 86_400, extra: ["typ": "refresh"])
        state.withLock { state in
            state.accessTokens[accessToken] = AccessToken(
                subject: subject, grantID: grantID, scopes: scopes, expires: .now + lifetime)
            state.refreshTokens[refreshToken] = RefreshToken(subject: subject, grantID: grantID, scopes: scopes)
        }
        var body: JSON = [
            "access_token": .string(accessToken), "token_type": "Bearer", "expires_in": .int(seconds),
            "refresh_token": .string(refreshToken), "scope": .string(scopes.joined(separator: " ")),
        ]
        if scopes.contains("openid") {
            body["id_token"] = .string(
                Self.makeJWT(
                    issuer: issuer, audience: settings.oauthClientID,
                    lifetimeSeconds: seconds, extra: [:]))
        }
        return body
    }

    /// A token shaped like Make's (a JWT, so clients that pick `Bearer` for non-UUID tokens do so); its signature is
    /// random bytes: the stand-in looks tokens up, it never verifies them.
    private static func makeJWT(issuer: String, audience: String, lifetimeSeconds: Int, extra: [String: JSON]) -> String
    {
        let now = Int(Date().timeIntervalSince1970)
        var claims: [String: JSON] = [
            "iss": .string(issuer), "sub": "1", "aud": .string(audience),
            "iat": .int(now), "exp": .int(now + lifetimeSeconds),
            "jti": .string(RandomID.hex(16)),
        ]
        claims.merge(extra) { $1 }
        let header: JSON = ["alg": "RS256", "typ": "JWT"]
        return [header.encoded, JSON.object(claims).encoded, RandomID.bytes(32)].map(Base64URL.encode)
            .joined(separator: ".")
    }

    // MARK: - Revocation, userinfo, bearer checks

    /// `POST /oauth/v2/revoke` (RFC 7009): revoking a refresh token ends its whole grant; unknown tokens are fine.
    func revoke(_ form: QueryItems) -> HTTPResponse {
        do {
            try authenticateClient(form)
        } catch let failure as Failure {
            return failure.response
        } catch {
            return Failure(error: "server_error", description: "\(error)", status: .internalServerError).response
        }
        guard let token = form["token"], !token.isEmpty else {
            return Failure(error: "invalid_request", description: "token is required.").response
        }
        state.withLock { state in
            if let refresh = state.refreshTokens.removeValue(forKey: token) {
                state.accessTokens = state.accessTokens.filter { $0.value.grantID != refresh.grantID }
            } else {
                state.accessTokens[token] = nil
            }
        }
        return HTTPResponse(status: .ok, headers: ["Cache-Control": "no-store"])
    }

    /// The scopes of a live access token, or why it is refused.
    func scopes(forAccessToken token: String) -> Result<[String], MakeError> {
        let stored = state.withLock { $0.accessTokens[token] }
        guard let stored else { return .failure(.unauthorized) }
        guard stored.expires > .now else { return .failure(.expiredToken) }
        return .success(stored.scopes)
    }

    /// `GET /oauth/v2/oidc/userinfo`: the `sub` claim, the one Make's discovery lists.
    func userinfo(authorization: String?) -> HTTPResponse {
        guard let authorization, authorization.lowercased().hasPrefix("bearer "),
            case .success = scopes(forAccessToken: String(authorization.dropFirst(7))),
            let subject = state.withLock({ $0.accessTokens[String(authorization.dropFirst(7))]?.subject })
        else {
            let body: JSON = ["error": "invalid_token", "error_description": "The access token is invalid or expired."]
            return .json(.unauthorized, body.encoded, headers: ["WWW-Authenticate": #"Bearer error="invalid_token""#])
        }
        return .json(["sub": .string(subject)])
    }

    /// The OpenID discovery document Make publishes, pointing at this server.
    func discovery(issuer: String) -> HTTPResponse {
        .json([
            "issuer": .string(issuer), "authorization_endpoint": .string(issuer + "/oauth/v2/authorize"),
            "token_endpoint": .string(issuer + "/oauth/v2/token"),
            "revocation_endpoint": .string(issuer + "/oauth/v2/revoke"),
            "jwks_uri": .string(issuer + "/oauth/v2/oidc/jwks"),
            "userinfo_endpoint": .string(issuer + "/oauth/v2/oidc/userinfo"), "response_types_supported": ["code"],
            "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid"], "claims_supported": ["sub"],
            "grant_types_supported": ["authorization_code"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        ])
    }

    // MARK: - Control

    /// Makes the next `count` refresh grants fail with `error` and `status`.
    func failNextRefreshes(count: Int, error: String, status: HTTPStatus) {
        let failure = Failure(
            error: error, description: "Refresh refused by the stand-in's control endpoint.",
            status: status)
        state.withLock { $0.refreshFailures += Array(repeating: failure, count: count) }
    }

    /// Makes the next authorization sign in `subject` instead of user 1, for tests with several users.
    func signInNext(subject: String) {
        state.withLock { $0.nextSubjects.append(subject) }
    }

    /// Makes the next `count` authorization requests end in `access_denied`.
    func denyNextAuthorizations(count: Int) {
        state.withLock { $0.authorizationsToDeny += count }
    }

    /// Forgets every code and token.
    func reset() {
        state.withLock { $0 = State() }
    }
}
