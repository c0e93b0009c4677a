internal import Auth
internal import FoundationEssentials
internal import HTTPServer
internal import Logging
internal import MCPProtocol

/// The authorization server's HTTP face (mcp.md §6): protected resource metadata (RFC 9728) and authorization server
/// metadata (RFC 8414, and the OpenID alias), registration, the consent page, Make's callback, the token and
/// revocation endpoints. Every error a client receives is RFC 6749 §5.2 JSON, or a page where nothing may be
/// redirected to.
struct OAuthRoutes: Sendable {
    let server: AuthorizationServer
    /// `PUBLIC_URL`, the issuer; and its path prefix (`/make`, or empty).
    let issuer: String
    let pathPrefix: String
    let logger: Logger

    /// The path part the well-known documents name for a resource path such as `/mcp`.
    private func wellKnown(_ document: String, _ path: String = "") -> [String] {
        // Clients insert the well-known segment before the full path (RFC 8414 §3, RFC 9728 §3.1); behind a proxy
        // that strips the prefix the request may also arrive without it.
        Array(Set(["/.well-known/\(document)\(pathPrefix)\(path)", "/.well-known/\(document)\(path)"])).sorted()
    }

    var metadataBase: String {
        let origin = pathPrefix.isEmpty ? issuer : String(issuer.dropLast(pathPrefix.count))
        return origin + "/.well-known/oauth-protected-resource" + pathPrefix
    }

    func add(to router: inout HTTPRouter) {
        let scopes = server.configuration.supportedScopes
        for (suffix, resource) in [("", issuer), ("/mcp", issuer + "/mcp"), ("/sse", issuer + "/sse")] {
            let document: JSONValue = [
                "resource": .string(resource), "authorization_servers": [.string(issuer)],
                "scopes_supported": .array(scopes.map(JSONValue.string)), "bearer_methods_supported": ["header"],
                "resource_name": "Make.com MCP gateway",
            ]
            let response = Self.json(document)
            for path in wellKnown("oauth-protected-resource", suffix) {
                router.add(.get, path, handler: ClosureHandler { _ in response })
            }
        }
        let metadata = Self.json(authorizationServerMetadata)
        for path in wellKnown("oauth-authorization-server") + wellKnown("openid-configuration") {
            router.add(.get, path, handler: ClosureHandler { _ in metadata })
        }
        let routes = self
        router.add(.post, "/register", handler: AsyncHandler { request in await routes.register(request) })
        router.add(.get, "/authorize", handler: AsyncHandler { request in await routes.authorize(request) })
        router.add(.post, "/authorize", handler: AsyncHandler { request in await routes.decide(request) })
        router.add(.get, "/oauth/callback", handler: AsyncHandler { request in await routes.callback(request) })
        router.add(.post, "/token", handler: AsyncHandler { request in await routes.token(request) })
        router.add(.post, "/revoke", handler: AsyncHandler { request in await routes.revoke(request) })
    }

    /// The paths these routes serve, for the start-up message.
    static let endpoints = ["/.well-known/oauth-protected-resource", "/.well-known/oauth-authorization-server",
                            "/register", "/authorize", "/oauth/callback", "/token", "/revoke"]

    private var authorizationServerMetadata: JSONValue {
        let methods: JSONValue = ["none", "client_secret_post", "client_secret_basic"]
        return [
            "issuer": .string(issuer), "authorization_endpoint": .string(issuer + "/authorize"),
            "token_endpoint": .string(issuer + "/token"), "registration_endpoint": .string(issuer + "/register"),
            "revocation_endpoint": .string(issuer + "/revoke"),
            "scopes_supported": .array((server.configuration.supportedScopes + ["offline_access"]).map(JSONValue.string)),
            "response_types_supported": ["code"], "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "token_endpoint_auth_methods_supported": methods, "revocation_endpoint_auth_methods_supported": methods,
            "code_challenge_methods_supported": ["S256"], "authorization_response_iss_parameter_supported": true,
            "client_id_metadata_document_supported": .bool(server.acceptsClientMetadataDocuments),
        ]
    }

    // MARK: - Endpoints

    private func register(_ request: HTTPRequest) async -> HTTPResponse {
        do {
            let (client, secret) = try await server.register(body: request.body)
            var body: JSONObject = [
                "client_id": .string(client.clientID), "client_id_issued_at": .integer(Int64(Date().timeIntervalSince1970)),
                "redirect_uris": .array(client.redirectURIs.map(JSONValue.string)),
                "token_endpoint_auth_method": .string(client.tokenEndpointAuthMethod),
                "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
            ]
            if let name = client.clientName { body["client_name"] = .string(name) }
            if let secret {
                body["client_secret"] = .string(secret)
                body["client_secret_expires_at"] = 0
            }
            return Self.json(.object(body), status: .created)
        } catch {
            return oauthError(error)
        }
    }

    private func authorize(_ request: HTTPRequest) async -> HTTPResponse {
        do throws(AuthorizationServer.AuthorizeFailure) {
            let consent = try await server.authorize(Self.query(request))
            let page = ConsentPage.render(clientName: consent.clientName, clientID: consent.clientID,
                                          redirectHost: consent.redirectHost, scopes: consent.scopes,
                                          transactionID: consent.transactionID)
            var headers = Self.pageHeaders
            headers.add(name: "Set-Cookie", value: "\(cookieName(consent.transactionID))=\(consent.browserBinding); "
                + cookieAttributes(maxAge: Int(server.configuration.signInTTL.components.seconds)))
            return HTTPResponse(status: .ok, headers: headers, body: Array(page.utf8))
        } catch {
            switch error {
            case .page(let refusal): return Self.page(.badRequest, ConsentPage.error(refusal.message))
            case .redirect(let location): return Self.redirect(location)
            }
        }
    }

    private func decide(_ request: HTTPRequest) async -> HTTPResponse {
        let form = Self.form(request.body)
        guard let transaction = form["transaction"], let decision = form["decision"] else {
            return Self.page(.badRequest, ConsentPage.error("the consent form was incomplete"))
        }
        do {
            let location = try await server.decide(transactionID: transaction,
                                                   browserBinding: cookie(cookieName(transaction), in: request),
                                                   approved: decision == "approve")
            var response = Self.redirect(location)
            // The transaction was found, so its id is one the gateway issued (base64url) and may name a cookie.
            response.headers.add(name: "Set-Cookie",
                                 value: "\(cookieName(transaction))=; " + cookieAttributes(maxAge: 0))
            return response
        } catch {
            return Self.page(.badRequest, ConsentPage.error(error.message))
        }
    }

    private func callback(_ request: HTTPRequest) async -> HTTPResponse {
        let query = Self.query(request)
        guard let state = query["state"] else {
            return Self.page(.badRequest, ConsentPage.error("Make's answer carried no state"))
        }
        do {
            return Self.redirect(try await server.completeSignIn(state: state, code: query["code"],
                                                                 makeError: query["error"]))
        } catch {
            return Self.page(.badRequest, ConsentPage.error(error.message))
        }
    }

    private func token(_ request: HTTPRequest) async -> HTTPResponse {
        do {
            let issued = try await server.token(Self.form(request.body), basic: Self.basic(request))
            return Self.json([
                "access_token": .string(issued.accessToken), "token_type": "Bearer",
                "expires_in": .integer(Int64(issued.expiresIn)), "refresh_token": .string(issued.refreshToken),
                "scope": .string(issued.scope),
            ])
        } catch {
            return oauthError(error, basicAttempted: request.headers["Authorization"] != nil)
        }
    }

    private func revoke(_ request: HTTPRequest) async -> HTTPResponse {
        do {
            try await server.revoke(Self.form(request.body), basic: Self.basic(request))
            return HTTPResponse(status: .ok, headers: ["Cache-Control": "no-store"])
        } catch {
            return oauthError(error, basicAttempted: request.headers["Authorization"] != nil)
        }
    }

    // MARK: - Responses

    /// RFC 6749 §5.2: 400 with `{error, error_description}`, but 401 for `invalid_client` (with `WWW-Authenticate:
    /// Basic` when the client tried Basic), 503 when the store is down.
    private func oauthError(_ error: AuthError, basicAttempted: Bool = false) -> HTTPResponse {
        let status: HTTPStatus =
            switch error {
            case .invalidClient: .unauthorized
            case .temporarilyUnavailable: .serviceUnavailable
            case .serverError: .internalServerError
            default: .badRequest
            }
        if case .serverError = error { logger.error("authorization server failed", metadata: ["error": "\(error)"]) }
        var headers: HTTPHeaders = ["Cache-Control": "no-store", "Pragma": "no-cache"]
        if case .invalidClient = error, basicAttempted {
            headers.add(name: "WWW-Authenticate", value: #"Basic realm="make-mcp-gateway""#)
        }
        let body: JSONValue = ["error": .string(error.code), "error_description": .string(error.message)]
        return .json(status, body.serialized(), headers: headers)
    }

    private static func json(_ value: JSONValue, status: HTTPStatus = .ok) -> HTTPResponse {
        .json(status, value.serialized(), headers: ["Cache-Control": "no-store", "Pragma": "no-cache"])
    }

    private static func redirect(_ location: String) -> HTTPResponse {
        HTTPResponse(status: .found, headers: ["Location": location, "Cache-Control": "no-store"])
    }

    /// Pages never go in a frame (clickjacking the approve button) and are never cached.
    private static let pageHeaders: HTTPHeaders = [
        "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "X-Frame-Options": "DENY",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        "Referrer-Policy": "no-referrer",
    ]

    private static func page(_ status: HTTPStatus, _ html: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: pageHeaders, body: Array(html.utf8))
    }

    // MARK: - The consent cookie

    private var isSecure: Bool { issuer.lowercased().hasPrefix("https://") }

    /// One cookie per sign-in, named after its transaction: a browser keeps one value per name, so a shared name
    /// let a second consent page (another tab, another server of the same client) replace the first page's binding
    /// and fail its decision. `__Host-` (RFC 6265bis) where the gateway is served over https: no Domain, Path `/`,
    /// Secure. Transaction ids are base64url, which cookie names allow.
    private func cookieName(_ transactionID: String) -> String {
        (isSecure ? "__Host-mcpgw_consent_" : "mcpgw_consent_") + transactionID
    }

    /// The attributes with one `Max-Age`: when an attribute repeats, the last one wins (RFC 6265 §5.3), so a second
    /// `Max-Age` would undo a clearing `Max-Age=0`.
    private func cookieAttributes(maxAge: Int) -> String {
        "Path=/; HttpOnly; SameSite=Strict; Max-Age=\(maxAge)" + (isSecure ? "; Secure" : "")
    }

    private func cookie(_ name: String, in request: HTTPRequest) -> String? {
        for header in request.headers.values(for: "Cookie") {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingPrefix(" ") == name { return String(parts[1]) }
            }
        }
        return nil
    }

    // MARK: - Parsing

    private static func query(_ request: HTTPRequest) -> [String: String] {
        form(Array((request.head.query ?? "").utf8))
    }

    /// `application/x-www-form-urlencoded`; a repeated name keeps its first value.
    private static func form(_ body: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = HTTPRequest.percentDecoded(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? HTTPRequest.percentDecoded(parts[1]) : "" }
        }
        return fields
    }

    /// `Authorization: Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1).
    private static func basic(_ request: HTTPRequest) -> (id: String, secret: String)? {
        guard let header = request.headers["Authorization"], header.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: String(header.dropFirst(6))),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        return (HTTPRequest.percentDecoded(text[..<colon]), HTTPRequest.percentDecoded(text[text.index(after: colon)...]))
    }
}

/// A handler whose answer needs asynchronous work, run in a task the connection owns.
struct AsyncHandler: HTTPHandler {
    let body: @Sendable (HTTPRequest) async -> HTTPResponse

    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        responder.run { responder.respond(await body(request)) }
    }
}
