import Foundation
import TestSupport
import Testing

/// Make's OAuth server: authorization codes with PKCE S256, the token endpoint, refresh rotation and denial.
@Suite("OAuth", .timeLimit(.minutes(1)))
struct OAuthTests {
    /// RFC 7636 Appendix B: a code verifier and its S256 challenge.
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    static let redirectURI = "http://127.0.0.1:9/callback"

    @Test("The code flow with the right code_verifier yields a Bearer token the API accepts")
    func codeFlow_withCorrectVerifier() async throws {
        try await withStandIn { standIn in
            let code = try await authorize(standIn)
            let token = try await exchange(standIn, code: code, verifier: Self.verifier)
            #expect(token.status == 200)
            #expect(token.header("Cache-Control") == "no-store")
            #expect(token.json["token_type"] as? String == "Bearer")
            #expect(token.json["expires_in"] as? Int == 300)
            #expect(token.json["scope"] as? String == "scenarios:read scenarios:run")
            #expect(token.json["refresh_token"] is String)
            let accessToken = try #require(token.json["access_token"] as? String)
            #expect(accessToken.hasPrefix("eyJ"))

            let me = try await standIn.request(
                "GET", "/api/v2/scenarios?teamId=1", authorization: "Bearer \(accessToken)")
            #expect(me.status == 200)
            let hooks = try await standIn.request(
                "GET", "/api/v2/hooks?teamId=1", authorization: "Bearer \(accessToken)")
            #expect(hooks.status == 403)

            let userinfo = try await standIn.request(
                "GET", "/oauth/v2/oidc/userinfo", authorization: "Bearer \(accessToken)")
            #expect(userinfo.json["sub"] as? String == "1")

            let reused = try await exchange(standIn, code: code, verifier: Self.verifier)
            #expect(reused.status == 400)
            #expect(reused.json["error"] as? String == "invalid_grant")
        }
    }

    @Test("A wrong code_verifier is invalid_grant")
    func codeFlow_withWrongVerifier() async throws {
        try await withStandIn { standIn in
            let code = try await authorize(standIn)
            let token = try await exchange(standIn, code: code, verifier: String(repeating: "a", count: 43))
            #expect(token.status == 400)
            #expect(token.json["error"] as? String == "invalid_grant")
        }
    }

    @Test("code_challenge_method plain, or none, is refused at the authorize step", arguments: ["plain", nil])
    func plainChallenge_isRefused(method: String?) async throws {
        try await withStandIn { standIn in
            var target = authorizeTarget(state: "s1")
            target = target.replacingOccurrences(of: "&code_challenge_method=S256", with: "")
            if let method { target += "&code_challenge_method=\(method)" }
            let response = try await standIn.request("GET", target, authorization: nil)
            #expect(response.status == 302)
            #expect(response.locationQuery["error"] == "invalid_request")
            #expect(response.locationQuery["state"] == "s1")
            #expect(response.locationQuery["code"] == nil)
        }
    }

    @Test("deny=1 and the deny-next control end in access_denied")
    func denial_isAccessDenied() async throws {
        try await withStandIn { standIn in
            let denied = try await standIn.request("GET", authorizeTarget(state: "s2") + "&deny=1", authorization: nil)
            #expect(denied.locationQuery["error"] == "access_denied")
            #expect(denied.locationQuery["state"] == "s2")

            _ = try await standIn.request("POST", "/__standin/oauth/deny-next", body: "{}", authorization: nil)
            let next = try await standIn.request("GET", authorizeTarget(state: "s3"), authorization: nil)
            #expect(next.locationQuery["error"] == "access_denied")
            let after = try await standIn.request("GET", authorizeTarget(state: "s4"), authorization: nil)
            #expect(after.locationQuery["code"] != nil)
        }
    }

    @Test("Refresh rotates the refresh token, and the fail-refresh control makes the next one fail")
    func refresh_rotatesAndCanFail() async throws {
        try await withStandIn(["--access-token-ttl-seconds", "1"]) { standIn in
            let code = try await authorize(standIn)
            let first = try await exchange(standIn, code: code, verifier: Self.verifier)
            let refreshToken = try #require(first.json["refresh_token"] as? String)
            let accessToken = try #require(first.json["access_token"] as? String)

            let expired = try await eventually(timeout: .seconds(10)) {
                try await standIn.request("GET", "/api/v2/users/me", authorization: "Bearer \(accessToken)").status
                    == 401
            }
            #expect(expired)

            let refreshed = try await refresh(standIn, token: refreshToken)
            #expect(refreshed.status == 200)
            let rotated = try #require(refreshed.json["refresh_token"] as? String)
            #expect(rotated != refreshToken)
            let newAccess = try #require(refreshed.json["access_token"] as? String)
            #expect(
                try await standIn.request("GET", "/api/v2/users/me", authorization: "Bearer \(newAccess)").status == 200
            )

            let replayed = try await refresh(standIn, token: refreshToken)
            #expect(replayed.json["error"] as? String == "invalid_grant")

            _ = try await standIn.request("POST", "/__standin/oauth/fail-refresh", body: "{}", authorization: nil)
            let failed = try await refresh(standIn, token: rotated)
            #expect(failed.status == 400)
            #expect(failed.json["error"] as? String == "invalid_grant")
        }
    }

    @Test("A wrong client secret is invalid_client with 401")
    func wrongClientSecret_isInvalidClient() async throws {
        try await withStandIn { standIn in
            let code = try await authorize(standIn)
            let response = try await standIn.request(
                "POST", "/oauth/v2/token",
                body: "grant_type=authorization_code&code=\(code)&redirect_uri=\(Self.encoded(Self.redirectURI))"
                    + "&client_id=standin-client&client_secret=wrong&code_verifier=\(Self.verifier)",
                contentType: "application/x-www-form-urlencoded", authorization: nil)
            #expect(response.status == 401)
            #expect(response.json["error"] as? String == "invalid_client")
        }
    }

    // MARK: - Steps

    private func authorizeTarget(state: String) -> String {
        "/oauth/v2/authorize?client_id=standin-client&redirect_uri=\(Self.encoded(Self.redirectURI))"
            + "&response_type=code&scope=scenarios%3Aread%2Cscenarios%3Arun&state=\(state)"
            + "&code_challenge=\(Self.challenge)&code_challenge_method=S256"
    }

    /// Runs the authorize step and returns the code from the redirect.
    private func authorize(_ standIn: StandInProcess) async throws -> String {
        let response = try await standIn.request("GET", authorizeTarget(state: "xyz"), authorization: nil)
        #expect(response.status == 302)
        #expect(response.header("Location")?.hasPrefix(Self.redirectURI + "?") == true)
        #expect(response.locationQuery["state"] == "xyz")
        return try #require(response.locationQuery["code"])
    }

    private func exchange(_ standIn: StandInProcess, code: String, verifier: String) async throws -> TestHTTPResponse {
        try await standIn.request(
            "POST", "/oauth/v2/token",
            body: "grant_type=authorization_code&code=\(code)&redirect_uri=\(Self.encoded(Self.redirectURI))"
                + "&client_id=standin-client&client_secret=standin-secret&code_verifier=\(verifier)",
            contentType: "application/x-www-form-urlencoded", authorization: nil)
    }

    private func refresh(_ standIn: StandInProcess, token: String) async throws -> TestHTTPResponse {
        try await standIn.request(
            "POST", "/oauth/v2/token",
            body:
                "grant_type=refresh_token&refresh_token=\(token)&client_id=standin-client&client_secret=standin-secret",
            contentType: "application/x-www-form-urlencoded", authorization: nil)
    }

    private static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
