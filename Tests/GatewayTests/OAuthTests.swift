import Foundation
import Stores
import TestSupport
import Testing

/// The gateway as an OAuth 2.0 authorization server and resource server in front of Make's OAuth (the stand-in's):
/// metadata, the whole sign-in, and a negative test for every check.
@Suite("OAuth at the gateway", .timeLimit(.minutes(2)))
struct OAuthTests {
    @Test("metadata: protected resource at the root and per endpoint, authorization server with S256 only; 401 names it")
    func metadata() async throws {
        let oauth = try await OAuthFixture.launch()
        defer { oauth.stop() }
        for (path, resource) in [("", oauth.issuer), ("/mcp", oauth.issuer + "/mcp"), ("/sse", oauth.issuer + "/sse")] {
            let document = try await oauth.send("GET", oauth.issuer + "/.well-known/oauth-protected-resource" + path)
            #expect(document.status == 200)
            #expect(document.json["resource"] as? String == resource)
            #expect(document.json["authorization_servers"] as? [String] == [oauth.issuer])
        }
        for path in ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"] {
            let metadata = try await oauth.send("GET", oauth.issuer + path).json
            #expect(metadata["issuer"] as? String == oauth.issuer)
            #expect(metadata["code_challenge_methods_supported"] as? [String] == ["S256"])
            #expect(metadata["registration_endpoint"] as? String == oauth.issuer + "/register")
            #expect(metadata["token_endpoint"] as? String == oauth.issuer + "/token")
            #expect(metadata["revocation_endpoint"] as? String == oauth.issuer + "/revoke")
            #expect((metadata["scopes_supported"] as? [String])?.contains("scenarios:read") == true)
        }
        let unauthenticated = try await oauth.send("POST", oauth.issuer + "/mcp", body: "{}", contentType: "application/json")
        #expect(unauthenticated.status == 401)
        let challenge = try #require(unauthenticated.header("WWW-Authenticate"))
        #expect(challenge.hasPrefix("Bearer "))
        #expect(challenge.contains(#"resource_metadata="\#(oauth.issuer)/.well-known/oauth-protected-resource/mcp""#))
        let wrong = try await oauth.send("POST", oauth.issuer + "/mcp", body: "{}", contentType: "application/json",
                                         headers: ["Authorization": "Bearer mcpgw_at_not-a-token"])
        #expect(wrong.status == 401)
        #expect(wrong.header("WWW-Authenticate")?.contains(#"error="invalid_token""#) == true)
        let sse = try await oauth.send("GET", oauth.issuer + "/sse")
        #expect(sse.header("WWW-Authenticate")?.contains("oauth-protected-resource/sse") == true)
    }

    @Test("the whole sign-in: register, consent, Make's authorize with PKCE, callback, token; then a Make tool works")
    func signInAndCall() async throws {
        let oauth = try await OAuthFixture.launch()
        defer { oauth.stop() }
        let (_, tokens) = try await oauth.signIn()
        #expect(tokens["token_type"] as? String == "Bearer")
        #expect(tokens["expires_in"] as? Int == 3600)
        #expect(tokens["refresh_token"] is String)
        let client = try await oauth.session(token: try #require(tokens["access_token"] as? String))
        let me = try await client.call("users_me")
        #expect(!me.isError, "\(me.text)")
        #expect(me.text.contains("Ada Lovelace"))
        // The gateway used its own PKCE pair at Make, and Make's tokens as Bearer, never the gateway's.
        let log = try await oauth.standIn.request("GET", "/__standin/requests", authorization: nil).json
        let recent = log["recent"] as? [[String: Any]] ?? []
        #expect(recent.contains { $0["route"] as? String == "POST /oauth/v2/token" && $0["status"] as? Int == 200 })
        #expect(recent.contains { $0["route"] as? String == "GET /users/me" && $0["authScheme"] as? String == "Bearer" })
    }

    @Test("/authorize refuses an unknown client and an unregistered redirect URI on a page, never redirecting")
    func authorizePageErrors() async throws {
        let oauth = try await OAuthFixture.launch()
        defer { oauth.stop() }
        let unknown = try await oauth.send("GET", oauth.authorizeURL(clientID: "nobody"))
        #expect(unknown.status == 400)
        #expect(unknown.header("Location") == nil)
        #expect(unknown.bodyText.contains("unknown client_id"))
        let clientID = try #require(try await oauth.register()["client_id"] as? String)
        let elsewhere = try await oauth.send("GET", oauth.authorizeURL(clientID: clientID,
                                                                         redirectURI: "https://evil.example/cb"))
        #expect(elsewhere.status == 400)
        #expect(elsewhere.header("Location") == nil)
        let refusedRegistration = try await oauth.send(
            "POST", oauth.issuer + "/register", body: #"{"redirect_uris":["http://evil.example/cb"]}"#,
            contentType: "application/json")
        #expect(refusedRegistration.status == 400)
        #expect(refusedRegistration.json["error"] as? String == "invalid_redirect_uri")
    }

    @Test("/authorize sends plain PKCE, a missing challenge and a foreign resource back as errors with state and iss")
    func authorizeRedirectErrors() async throws {
        let oauth = try await OAuthFixture.launch()
        defer { oauth.stop() }
        let clientID = try #require(try await oauth.register()["client_id"] as? String)
        let plain = try await oauth.send("GET", oauth.authorizeURL(clientID: clientID, method: "plain"))
        #expect(plain.status == 302)
        #expect(plain.locationQuery["error"] == "invalid_request")
        #expect(plain.locationQuery["state"] == "st-1")
        #expect(plain.locationQuery["iss"] == oauth.issuer)
        let foreign = try await oauth.send("GET", oauth.authorizeURL(clientID: clientID,
                                                                       resource: "https://other.example/mcp"))
        #expect(foreign.locationQuery["error"] == "invalid_target")
        // ChatGPT appends a query to resource; it is the gateway all the same.
        let withQuery = try await oauth.send("GET", oauth.authorizeURL(clientID: clientID,
                                                                         resource: oauth.issuer + "/mcp?x=1"))
        #expect(withQuery.status == 200)
        let denied = try await oauth.consent(oauth.authorizeURL(clientID: clientID), approve: false)
        #expect(denied["error"] == "access_denied")
        #expect(denied["state"] == "st-1")
    }

    @Test("token errors per RFC 6749 §5.2: wrong verifier, reused code (revoking what it issued), unknown client")
    func tokenErrors() async throws {
        let oauth = try await OAuthFixture.launch(environment: ["AUTH_VALIDATION_CACHE_TTL": "1ms"])
        defer { oauth.stop() }
        let clientID = try #require(try await oauth.register()["client_id"] as? String)
        let first = try #require(try await oauth.consent(oauth.authorizeURL(clientID: clientID))["code"])
        let wrong = try await oauth.redeem(first, clientID: clientID, verifier: String(repeating: "x", count: 43))
        #expect(wrong.status == 400)
        #expect(wrong.json["error"] as? String == "invalid_grant")
        // A code is spent by its first redemption, even a failed one.
        #expect(try await oauth.redeem(first, clientID: clientID).json["error"] as? String == "invalid_grant")

        let second = try #require(try await oauth.consent(oauth.authorizeURL(clientID: clientID))["code"])
        let issued = try await oauth.redeem(second, clientID: clientID)
        #expect(issued.status == 200)
        let access = try #require(issued.json["access_token"] as? String)
        let replay = try await oauth.redeem(second, clientID: clientID)
        #expect(replay.json["error"] as? String == "invalid_grant")
        let afterReplay = try await oauth.send("POST", oauth.issuer + "/mcp", body: "{}", contentType: "application/json",
                                               headers: ["Authorization": "Bearer \(access)"])
        #expect(afterReplay.status == 401)

        let mismatch = try #require(try await oauth.consent(oauth.authorizeURL(clientID: clientID))["code"])
        let moved = try await oauth.redeem(mismatch, clientID: clientID,
                                           extra: ["redirect_uri": "http://127.0.0.1:9/other"])
        #expect(moved.json["error"] as? String == "invalid_grant")

        let stranger = try await oauth.redeem("mcpgw_code_x", clientID: "nobody")
        #expect(stranger.status == 401)
        #expect(stranger.json["error"] as? String == "invalid_client")
        let unsupported = try await oauth.send("POST", oauth.issuer + "/token",
                                               body: OAuthFixture.form(["grant_type": "password", "client_id": clientID]))
        #expect(unsupported.json["error"] as? String == "unsupported_grant_type")
        let missing = try await oauth.send("POST", oauth.issuer + "/token", body: OAuthFixture.form(["client_id": clientID]))
        #expect(missing.json["error"] as? String == "invalid_request")
    }

    @Test("an expired code is refused")
    func expiredCode() async throws {
        let oauth = try await OAuthFixture.launch(environment: ["OAUTH_CODE_TTL": "1ms"])
        defer { oauth.stop() }
        let clientID = try #require(try await oauth.register()["client_id"] as? String)
        let code = try #require(try await oauth.consent(oauth.authorizeURL(clientID: clientID))["code"])
        let response = try await oauth.redeem(code, clientID: clientID)
        #expect(response.status == 400)
        #expect(response.json["error"] as? String == "invalid_grant")
    }

    @Test("refresh tokens rotate; the previous one works during its grace; replayed after it, the grant ends")
    func refreshRotation() async throws {
        let oauth = try await OAuthFixture.launch()
        defer { oauth.stop() }
        let (clientID, tokens) = try await oauth.signIn()
        let first = try #require(tokens["refresh_token"] as? String)
        let rotated = try await oauth.refresh(first, clientID: clientID)
        #expect(rotated.status == 200, "\(rotated.bodyText)")
        let second = try #require(rotated.json["refresh_token"] as? String)
        #expect(second != first)
        #expect(rotated.json["expires_in"] as? Int == 3600)
        // Within the grace (30 s by default) the previous token still works, for a client that lost the answer.
        #expect(try await oauth.refresh(first, clientID: clientID).status == 200)

        let strict = try await OAuthFixture.launch(environment: ["OAUTH_REFRESH_GRACE": "1ms"])
        defer { strict.stop() }
        let (strictClient, strictTokens) = try await strict.signIn()
        let old = try #require(strictTokens["refresh_token"] as? String)
        let next = try #require(try await strict.refresh(old, clientID: strictClient).json["refresh_token"] as? String)
        let replay = try await strict.refresh(old, clientID: strictClient)
        #expect(replay.status == 400)
        #expect(replay.json["error"] as? String == "invalid_grant")
        // A replay is taken for theft: the whole grant ends, the newest token with it.
        #expect(try await strict.refresh(next, clientID: strictClient).json["error"] as? String == "invalid_grant")
    }

    @Test("a session belongs to its user: another user's token gets 404 for it")
    func sessionsBelongToUsers() async throws {
        let oauth = try await OAuthFixture.launch()
        defer { oauth.stop() }
        let (_, ada) = try await oauth.signIn()
        let adaSession = try await oauth.session(token: try #require(ada["access_token"] as? String))
        _ = try await oauth.standIn.request("POST", "/__standin/oauth/next-user", body: #"{"sub":"2"}"#,
                                            authorization: nil)
        let (_, grace) = try await oauth.signIn()
        var intruder = try await StreamableClient.connect(port: oauth.gateway.port)
        intruder.bearer = try #require(grace["access_token"] as? String)
        intruder.sessionID = adaSession.sessionID
        let stolen = try await intruder.post(#"{"jsonrpc":"2.0","id":5,"method":"tools/list"}"#,
                                             headers: ["MCP-Protocol-Version": "2025-06-18"])
        #expect(stolen.status == 404)
        #expect(try await adaSession.call("users_me").isError == false)
    }

    @Test("a Make token near expiry is refreshed; when Make refuses the refresh, the user is told to sign in again")
    func makeTokenRefresh() async throws {
        let oauth = try await OAuthFixture.launch(
            standInArguments: ["--access-token-ttl-seconds", "30"],
            environment: ["AUTH_VALIDATION_CACHE_TTL": "1ms", "MAKE_CACHE_TTL": "0"])
        defer { oauth.stop() }
        let (clientID, tokens) = try await oauth.signIn()
        let access = try #require(tokens["access_token"] as? String)
        let client = try await oauth.session(token: access)
        // 30 s left is inside the refresh margin: the call refreshes Make's token first.
        #expect(try await client.call("users_me").isError == false)
        let grants = try await oauth.standIn.request("GET", "/__standin/requests", authorization: nil).json
        #expect((grants["byRoute"] as? [String: Int])?["POST /oauth/v2/token"] ?? 0 >= 2)

        _ = try await oauth.standIn.request("POST", "/__standin/oauth/fail-refresh",
                                            body: #"{"count":1,"error":"invalid_grant"}"#, authorization: nil)
        let refused = try await client.call("users_me", id: 9)
        #expect(refused.isError)
        #expect(refused.text.contains("Sign in again"))
        let next = try await client.post(#"{"jsonrpc":"2.0","id":10,"method":"tools/list"}"#,
                                         headers: ["MCP-Protocol-Version": "2025-06-18"])
        #expect(next.status == 401)
        let refresh = try await oauth.refresh(try #require(tokens["refresh_token"] as? String), clientID: clientID)
        #expect(refresh.json["error"] as? String == "invalid_grant")
    }

    @Test("revoking a token ends the grant here and at Make")
    func revocation() async throws {
        let oauth = try await OAuthFixture.launch()
        defer { oauth.stop() }
        let (clientID, tokens) = try await oauth.signIn()
        let access = try #require(tokens["access_token"] as? String)
        _ = try await oauth.session(token: access)
        let revoked = try await oauth.send("POST", oauth.issuer + "/revoke",
                                           body: OAuthFixture.form(["token": access, "client_id": clientID]))
        #expect(revoked.status == 200)
        let after = try await oauth.send("POST", oauth.issuer + "/mcp", body: "{}", contentType: "application/json",
                                         headers: ["Authorization": "Bearer \(access)"])
        #expect(after.status == 401)
        let log = try await oauth.standIn.request("GET", "/__standin/requests", authorization: nil).json
        #expect((log["byRoute"] as? [String: Int])?["POST /oauth/v2/revoke"] == 1)
    }

    @Test("a tool call needing a scope the token lacks gets 403 insufficient_scope naming it")
    func insufficientScope() async throws {
        let oauth = try await OAuthFixture.launch()
        defer { oauth.stop() }
        let (_, tokens) = try await oauth.signIn(scope: "scenarios:read")
        #expect(tokens["scope"] as? String == "scenarios:read")
        let client = try await oauth.session(token: try #require(tokens["access_token"] as? String))
        #expect(try await client.call("scenarios_list", ["teamId": 1]).isError == false)
        let delete = try await client.post(
            #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"scenarios_delete","arguments":{"scenarioId":4}}}"#,
            headers: ["MCP-Protocol-Version": "2025-06-18"])
        #expect(delete.status == 403)
        let challenge = try #require(delete.header("WWW-Authenticate"))
        #expect(challenge.contains(#"error="insufficient_scope""#))
        #expect(challenge.contains("scenarios:write"))
        #expect(challenge.contains("scenarios:read"))
    }

    @Test("confidential clients authenticate with client_secret_basic; a wrong secret is 401 invalid_client")
    func confidentialClient() async throws {
        let oauth = try await OAuthFixture.launch()
        defer { oauth.stop() }
        let registration = try await oauth.register(authMethod: "client_secret_basic")
        let clientID = try #require(registration["client_id"] as? String)
        let secret = try #require(registration["client_secret"] as? String)
        let code = try #require(try await oauth.consent(oauth.authorizeURL(clientID: clientID))["code"])
        let basic = { (secret: String) in "Basic " + Data("\(clientID):\(secret)".utf8).base64EncodedString() }
        let refused = try await oauth.redeem(code, clientID: clientID, headers: ["Authorization": basic("wrong")])
        #expect(refused.status == 401)
        #expect(refused.json["error"] as? String == "invalid_client")
        #expect(refused.header("WWW-Authenticate")?.hasPrefix("Basic") == true)
        let code2 = try #require(try await oauth.consent(oauth.authorizeURL(clientID: clientID))["code"])
        #expect(try await oauth.redeem(code2, clientID: clientID, headers: ["Authorization": basic(secret)]).status == 200)
    }

    @Test("a browser Origin outside PUBLIC_URL is refused with 403 even with a valid token")
    func badOrigin() async throws {
        let oauth = try await OAuthFixture.launch()
        defer { oauth.stop() }
        let (_, tokens) = try await oauth.signIn()
        let response = try await oauth.send(
            "POST", oauth.issuer + "/mcp",
            body: #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#,
            contentType: "application/json",
            headers: ["Authorization": "Bearer \(try #require(tokens["access_token"] as? String))",
                      "Origin": "https://evil.example", "Accept": "application/json, text/event-stream"])
        #expect(response.status == 403)
    }

    @Test("at rest and in logs: no gateway token, code, client secret or Make token in plain text; all keys expire")
    func secretsAtRest() async throws {
        let oauth = try await OAuthFixture.launch(withRedis: true)
        defer { oauth.stop() }
        let registration = try await oauth.register(authMethod: "client_secret_post")
        let clientID = try #require(registration["client_id"] as? String)
        let secret = try #require(registration["client_secret"] as? String)
        let code = try #require(try await oauth.consent(oauth.authorizeURL(clientID: clientID))["code"])
        let tokens = try await oauth.redeem(code, clientID: clientID, extra: ["client_secret": secret]).json
        let access = try #require(tokens["access_token"] as? String)
        let refresh = try #require(tokens["refresh_token"] as? String)
        _ = try await oauth.session(token: access).call("users_me")
        let server = try #require(oauth.redis)
        let redis = RedisClient(configuration: .init(url: try #require(RedisURL(server.url))))
        let dump = try await Self.dump(redis)
        for secretValue in [access, refresh, code, secret, "standin-secret"] {
            #expect(!dump.values.contains { $0.contains(secretValue) }, "\(secretValue.prefix(12))… is in Redis")
            #expect(!oauth.gateway.outputText.contains(secretValue), "\(secretValue.prefix(12))… is in the log")
        }
        // Make's tokens are JWTs (eyJ…) at the stand-in; none is stored unsealed.
        #expect(!dump.values.contains { $0.contains("eyJ") })
        #expect(!oauth.gateway.outputText.contains("eyJ"))
        #expect(dump.keys.contains { $0.contains("make:") })
        for key in dump.keys {
            let ttl = try #require(try await redis.send("PTTL", key).integer)
            #expect(ttl != -1, "\(key) has no TTL")
        }
    }

    @Test("static-token mode: API keys as bearer tokens, each user's sessions apart; no keys, no start off loopback")
    func apiKeys() async throws {
        let keys = "first-key-0123456789,second-key-0123456789"
        let make = try await MakeGatewayFixture.launch(environment: ["GATEWAY_API_KEYS": keys, "SCENARIO_TOOLS": "off"])
        defer { make.stop() }
        var anonymous = try await StreamableClient.connect(port: make.gateway.port)
        let refused = try await anonymous.post(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)
        #expect(refused.status == 401)
        #expect(refused.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        anonymous.bearer = "wrong-key-0123456789"
        #expect(try await anonymous.post(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#).status == 401)
        var first = try await StreamableClient.connect(port: make.gateway.port)
        first.bearer = "first-key-0123456789"
        try await first.initialize()
        #expect(try await first.call("users_me").isError == false)
        var second = try await StreamableClient.connect(port: make.gateway.port)
        second.bearer = "second-key-0123456789"
        second.sessionID = first.sessionID
        #expect(try await second.post(#"{"jsonrpc":"2.0","id":2,"method":"ping"}"#,
                                      headers: ["MCP-Protocol-Version": "2025-06-18"]).status == 404)
        #expect(!make.gateway.outputText.contains("first-key-0123456789"))

        let (status, output) = try await GatewayProcess.runToExit(
            arguments: [], environment: ["HOST": "0.0.0.0", "PORT": "0", "MAKE_API_TOKEN": StandInProcess.apiToken])
        #expect(status == 2)
        #expect(output.contains("GATEWAY_API_KEYS"))
        #expect(!output.contains(StandInProcess.apiToken))
    }

    @Test("with Redis everything survives a restart: registrations, tokens, refresh, the Make sign-in")
    func survivesRestart() async throws {
        let oauth = try await OAuthFixture.launch(withRedis: true)
        defer { oauth.stop() }
        let (clientID, tokens) = try await oauth.signIn()
        let restarted = try await oauth.restarted()
        defer { restarted.gateway.stop() }
        let access = try #require(tokens["access_token"] as? String)
        #expect(try await restarted.session(token: access).call("users_me").isError == false)
        let refreshed = try await restarted.refresh(try #require(tokens["refresh_token"] as? String), clientID: clientID)
        #expect(refreshed.status == 200, "\(refreshed.bodyText)")
        // The registration is still there: a new sign-in with the same client works.
        let code = try #require(try await restarted.consent(restarted.authorizeURL(clientID: clientID))["code"])
        #expect(try await restarted.redeem(code, clientID: clientID).status == 200)
    }

    /// Every key in Redis with its value as text (strings; set, list and sorted-set members joined).
    static func dump(_ redis: RedisClient) async throws -> [String: String] {
        var values: [String: String] = [:]
        for key in try #require(try await redis.send("KEYS", "*").array).compactMap(\.string) {
            let type = try await redis.send("TYPE", key).string ?? ""
            let reply: RedisValue =
                switch type {
                case "set": try await redis.send("SMEMBERS", key)
                case "list": try await redis.send("LRANGE", key, "0", "-1")
                case "zset": try await redis.send("ZRANGE", key, "0", "-1")
                case "hash": try await redis.send("HGETALL", key)
                default: try await redis.send("GET", key)
                }
            values[key] = reply.array.map { $0.compactMap(\.string).joined(separator: " ") } ?? reply.string ?? ""
        }
        return values
    }
}
