internal import FoundationEssentials
package import OutboundHTTP

/// The gateway's own OAuth client at Make (make-api.md §2.2): it exchanges authorization codes (with the gateway's
/// PKCE verifier and its secret, `client_secret_post`), refreshes and revokes tokens, and reads who signed in.
/// Secrets travel only in request bodies and headers, never in an error's text.
package struct MakeOAuthClient: Sendable {
    /// Make's OAuth base, such as `https://www.make.com/oauth/v2`.
    package let baseURL: String
    package let clientID: String
    private let clientSecret: String
    private let http: HTTPClient

    package init(baseURL: String, clientID: String, clientSecret: String, http: HTTPClient) {
        self.baseURL = baseURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.http = http
    }

    /// What Make's token endpoint granted.
    package struct Tokens: Sendable, Equatable {
        package var accessToken: String
        package var refreshToken: String?
        /// Seconds the access token lives, as Make said (it documents 5 minutes; examples show an hour).
        package var expiresIn: Int
        package var scope: String?
    }

    /// Why a call to Make's OAuth server failed.
    package enum Failure: Error, Equatable, CustomStringConvertible {
        /// Make refused the grant (RFC 6749 §5.2 `error`): the code or refresh token is no good any more.
        case refused(error: String, description: String?)
        case unavailable(String)

        package var description: String {
            switch self {
            case .refused(let error, let description): "Make refused the sign-in (\(error))\(description.map { ": \($0)" } ?? "")"
            case .unavailable(let reason): "Make's sign-in service is unavailable: \(reason)"
            }
        }
    }

    /// Make's authorize URL for the gateway's sign-in, with its own state and S256 challenge.
    package func authorizeURL(redirectURI: String, scopes: [String], state: String, codeChallenge: String) -> String {
        let query: [(name: String, value: String)] = [
            ("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI),
            ("scope", scopes.joined(separator: " ")), ("state", state), ("code_challenge", codeChallenge),
            ("code_challenge_method", "S256"),
        ]
        return baseURL + "/authorize?" + Self.form(query)
    }

    package func exchange(code: String, redirectURI: String, codeVerifier: String) async throws(Failure) -> Tokens {
        try await token([("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
                         ("code_verifier", codeVerifier)])
    }

    package func refresh(refreshToken: String) async throws(Failure) -> Tokens {
        try await token([("grant_type", "refresh_token"), ("refresh_token", refreshToken)])
    }

    /// RFC 7009 revocation of a Make token; Make ends the whole grant for a refresh token.
    package func revoke(token: String) async throws(Failure) {
        let response = try await post("/revoke", [("token", token)])
        guard response.status < 400 else { throw Self.refusal(response) }
    }

    /// The `sub` of the user an access token belongs to, from Make's OIDC userinfo endpoint.
    package func subject(accessToken: String) async throws(Failure) -> String {
        let response: OutboundResponse
        do {
            response = try await http.send(OutboundRequest(
                method: "GET", url: baseURL + "/oidc/userinfo",
                headers: [("Authorization", "Bearer \(accessToken)"), ("Accept", "application/json")]))
        } catch {
            throw .unavailable(error.description)
        }
        guard response.status < 400 else { throw Self.refusal(response) }
        struct UserInfo: Decodable { var sub: String }
        guard let info = try? JSONDecoder().decode(UserInfo.self, from: Data(response.body)) else {
            throw .unavailable("userinfo answered without a sub")
        }
        return info.sub
    }

    private func token(_ grant: [(name: String, value: String)]) async throws(Failure) -> Tokens {
        let response = try await post("/token", grant)
        guard response.status < 400 else { throw Self.refusal(response) }
        struct Body: Decodable {
            var access_token: String
            var refresh_token: String?
            var expires_in: Int?
            var scope: String?
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(response.body)) else {
            throw .unavailable("the token endpoint answered without an access token")
        }
        return Tokens(accessToken: body.access_token, refreshToken: body.refresh_token,
                      expiresIn: body.expires_in ?? 300, scope: body.scope)
    }

    private func post(_ path: String, _ fields: [(name: String, value: String)]) async throws(Failure)
        -> OutboundResponse
    {
        let body = Self.form(fields + [("client_id", clientID), ("client_secret", clientSecret)])
        do {
            return try await http.send(OutboundRequest(
                method: "POST", url: baseURL + path,
                headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                body: Array(body.utf8)))
        } catch {
            throw .unavailable(error.description)
        }
    }

    private static func refusal(_ response: OutboundResponse) -> Failure {
        struct Body: Decodable {
            var error: String?
            var error_description: String?
        }
        let body = try? JSONDecoder().decode(Body.self, from: Data(response.body))
        guard let error = body?.error else { return .unavailable("HTTP status \(response.status)") }
        return .refused(error: error, description: body?.error_description)
    }

    /// `application/x-www-form-urlencoded`, every name and value percent-encoded.
    static func form(_ fields: [(name: String, value: String)]) -> String {
        fields.map { "\(MakeRequest.encode($0.name))=\(MakeRequest.encode($0.value))" }.joined(separator: "&")
    }
}
