/// How the gateway's authorization server behaves; every value has a safe default but the URLs.
package struct AuthConfiguration: Sendable {
    /// The issuer and the base of every endpoint: `PUBLIC_URL`.
    package var issuer: String
    /// Where Make sends its users back: `<PUBLIC_URL>/oauth/callback`, registered at Make for the gateway's client.
    package var makeCallbackURL: String
    /// What tokens may be asked for and granted, and what a client that names none gets.
    package var supportedScopes: [String]
    package var defaultScopes: [String]
    package var accessTokenTTL: Duration = .seconds(3600)
    package var refreshTokenTTL: Duration = .seconds(30 * 86_400)
    /// The gateway's single-use authorization codes (RFC 6749 §4.1.2 recommends at most 10 minutes).
    package var codeTTL: Duration = .seconds(60)
    /// From the consent page to Make's callback.
    package var signInTTL: Duration = .seconds(600)
    /// How long a rotated refresh token still works, for a client whose refresh answer was lost.
    package var refreshGrace: Duration = .seconds(30)
    /// How long a validated bearer token is trusted without a store lookup: revocation is seen on every replica
    /// within this time (at once on the replica that revoked).
    package var validationCacheTTL: Duration = .seconds(5)
    package var registrationTTL: Duration = .seconds(365 * 86_400)
    /// Make access tokens are refreshed when they have less than this left.
    package var makeRefreshMargin: Duration = .seconds(60)

    package init(issuer: String, makeCallbackURL: String, supportedScopes: [String], defaultScopes: [String]) {
        self.issuer = issuer
        self.makeCallbackURL = makeCallbackURL
        self.supportedScopes = supportedScopes
        self.defaultScopes = defaultScopes
    }
}
