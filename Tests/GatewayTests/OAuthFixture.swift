import Foundation
import TestSupport
import Testing

/// The gateway in OAuth mode in front of the Make stand-in's OAuth server, and a scripted browser and client that
/// sign in through it: register, consent, Make's authorize, the callback, the token endpoint.
struct OAuthFixture {
    let standIn: StandInProcess
    let gateway: GatewayProcess
    let redis: RedisServer?
    /// What the gateway was started with, so a restart gets the same keys, store and URL.
    let environment: [String: String]

    static let redirectURI = "http://127.0.0.1:9/callback"
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

    var issuer: String { "http://127.0.0.1:\(gateway.port)" }

    static func launch(
        standInArguments: [String] = [], environment: [String: String] = [:], withRedis: Bool = false
    ) async throws -> OAuthFixture {
        let standIn = try await StandInProcess.launch(standInArguments)
        let redis = withRedis ? try await RedisServer.start() : nil
        // PUBLIC_URL must name the port before the gateway picks one: take a free one.
        let port = try RedisServer.freePort()
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        var variables = [
            "MAKE_CLIENT_ID": "standin-client", "MAKE_CLIENT_SECRET": "standin-secret", "TOKEN_ENCRYPTION_KEY": key,
            "MAKE_API_URL": "http://127.0.0.1:\(standIn.port)/api/v2",
            "MAKE_OAUTH_URL": "http://127.0.0.1:\(standIn.port)/oauth/v2", "MAKE_ALLOW_HTTP": "on",
            "PUBLIC_URL": "http://127.0.0.1:\(port)", "RATE_LIMIT_REQUESTS": "0", "SCENARIO_TOOLS": "off",
        ]
        if let redis { variables["REDIS_URL"] = redis.url }
        variables.merge(environment) { $1 }
        do {
            let gateway = try await GatewayProcess.launch(environment: variables, port: port)
            return OAuthFixture(standIn: standIn, gateway: gateway, redis: redis, environment: variables)
        } catch {
            standIn.kill()
            redis?.stop()
            throw error
        }
    }

    func stop() {
        gateway.stop()
        standIn.kill()
        redis?.stop()
    }

    /// Stops the gateway (SIGTERM, drained) and starts a new process with the same settings on the same port.
    func restarted() async throws -> OAuthFixture {
        gateway.send(signal: SIGTERM)
        #expect(await gateway.waitForExit() == 0)
        let next = try await GatewayProcess.launch(environment: environment, port: gateway.port)
        return OAuthFixture(standIn: standIn, gateway: next, redis: redis, environment: environment)
    }

    // MARK: - HTTP

    /// One request to `url` (gateway or stand-in) on a fresh connection.
    func send(
        _ method: String, _ url: String, body: String? = nil, contentType: String = "application/x-www-form-urlencoded",
        headers: [String: String] = [:]
    ) async throws -> TestHTTPResponse {
        let parsed = try #require(URLComponents(string: url))
        let connection = try await RawHTTPConnection.connect(port: try #require(parsed.port))
        let target = parsed.percentEncodedPath + (parsed.percentEncodedQuery.map { "?" + $0 } ?? "")
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(parsed.host ?? "127.0.0.1"):\(parsed.port!)\r\n"
            + "Connection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\n" }
        try await connection.send(head + "\r\n" + (body ?? ""))
        return try await connection.readResponse()
    }

    static func form(_ fields: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.sorted { $0.key < $1.key }.map {
            "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
    }

    // MARK: - The flow

    /// Registers a public client (or a confidential one with `authMethod`); returns its registration answer.
    func register(name: String = "Test Client", redirectURIs: [String] = [OAuthFixture.redirectURI],
                  authMethod: String? = nil) async throws -> [String: Any] {
        var metadata: [String: Any] = ["redirect_uris": redirectURIs, "client_name": name]
        if let authMethod { metadata["token_endpoint_auth_method"] = authMethod }
        let body = String(decoding: try JSONSerialization.data(withJSONObject: metadata), as: UTF8.self)
        let response = try await send("POST", issuer + "/register", body: body, contentType: "application/json")
        #expect(response.status == 201, "\(response.bodyText)")
        return response.json
    }

    /// The authorize URL a client would open.
    func authorizeURL(clientID: String, scope: String? = nil, resource: String? = nil,
                      challenge: String = OAuthFixture.challenge, method: String = "S256",
                      redirectURI: String = OAuthFixture.redirectURI) -> String {
        var fields = ["response_type": "code", "client_id": clientID, "redirect_uri": redirectURI, "state": "st-1",
                      "code_challenge": challenge, "code_challenge_method": method,
                      "resource": resource ?? issuer + "/mcp"]
        if let scope { fields["scope"] = scope }
        return issuer + "/authorize?" + Self.form(fields)
    }

    /// Plays the browser from the authorize URL: the consent page, the decision, Make's authorize, the callback.
    /// Returns the final redirect to the client as query items.
    func consent(_ authorizeURL: String, approve: Bool = true) async throws -> [String: String] {
        let page = try await send("GET", authorizeURL)
        #expect(page.status == 200, "\(page.bodyText)")
        let cookie = try #require(page.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
        let transaction = try #require(page.bodyText.firstMatch(of: /name="transaction" value="([^"]+)"/)?.1)
        var response = try await send("POST", issuer + "/authorize",
                                      body: Self.form(["transaction": String(transaction),
                                                       "decision": approve ? "approve" : "deny"]),
                                      headers: ["Cookie": cookie])
        var location = try #require(response.header("Location"), "\(response.status) \(response.bodyText)")
        while !location.hasPrefix(Self.redirectURI) {
            response = try await send("GET", location)
            location = try #require(response.header("Location"), "\(response.status) \(response.bodyText)")
        }
        return response.locationQuery
    }

    /// Redeems a code at the token endpoint.
    func redeem(_ code: String, clientID: String, verifier: String = OAuthFixture.verifier,
                extra: [String: String] = [:], headers: [String: String] = [:]) async throws -> TestHTTPResponse {
        var fields = ["grant_type": "authorization_code", "code": code, "client_id": clientID,
                      "redirect_uri": Self.redirectURI, "code_verifier": verifier]
        fields.merge(extra) { $1 }
        return try await send("POST", issuer + "/token", body: Self.form(fields), headers: headers)
    }

    func refresh(_ token: String, clientID: String) async throws -> TestHTTPResponse {
        try await send("POST", issuer + "/token",
                       body: Self.form(["grant_type": "refresh_token", "refresh_token": token, "client_id": clientID]))
    }

    /// Registration, consent, sign-in and token redemption: the token response of a signed-in client.
    func signIn(scope: String? = nil) async throws -> (clientID: String, tokens: [String: Any]) {
        let clientID = try #require(try await register()["client_id"] as? String)
        let back = try await consent(authorizeURL(clientID: clientID, scope: scope))
        let code = try #require(back["code"], "\(back)")
        let response = try await redeem(code, clientID: clientID)
        #expect(response.status == 200, "\(response.bodyText)")
        return (clientID, response.json)
    }

    /// An initialized Streamable HTTP session with `token` as its bearer.
    func session(token: String) async throws -> StreamableClient {
        var client = try await StreamableClient.connect(port: gateway.port)
        client.bearer = token
        try await client.initialize()
        return client
    }
}
