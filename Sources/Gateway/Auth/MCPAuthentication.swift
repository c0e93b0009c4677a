internal import Auth
internal import Cryptography
internal import HTTPServer
internal import MCPProtocol

/// How MCP clients prove who they are, by mode:
/// - OAuth (`MAKE_CLIENT_ID` set): a gateway access token from ``AuthorizationServer`` (mcp.md §6.2);
/// - static token with `GATEWAY_API_KEYS`: one of the keys, compared as SHA-256 digests in constant time;
/// - static token without keys: nothing, which the configuration allows only on loopback.
enum MCPAuthentication: Sendable {
    case none
    case apiKeys(digests: [[UInt8]])
    /// - Parameter metadataBase: The protected resource metadata URL without the resource's path
    ///   (`https://gw/.well-known/oauth-protected-resource`); `/mcp` or `/sse` is appended per endpoint.
    case oauth(AuthorizationServer, metadataBase: String, challengeScopes: [String])
}

/// Checks the bearer token of every MCP request before the transports see it (RFC 6750): 401 with
/// `WWW-Authenticate` naming the protected resource metadata when it is missing or bad, 403 with
/// `error="insufficient_scope"` when a tool call needs a scope the token lacks. The principal it finds travels in
/// the request's attributes, so sessions, rate limits and cached data are per user.
struct AuthenticatedHandler<Inner: HTTPHandler>: HTTPHandler {
    let inner: Inner
    let authentication: MCPAuthentication
    /// The scope a tool needs, or nil for none.
    let requiredScope: @Sendable (_ toolName: String) -> String?

    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        switch authentication {
        case .none:
            inner.handle(request, responder: responder)
        case .apiKeys(let digests):
            guard let key = Self.bearer(request), let digest = try? SHA256.hash(Array(key.utf8)),
                  digests.contains(where: { ConstantTime.equals($0, digest) })
            else {
                responder.respond(Self.challenge(
                    #"Bearer realm="make-mcp-gateway""# + (Self.bearer(request) == nil ? "" : #", error="invalid_token""#),
                    message: "send Authorization: Bearer with one of the gateway's API keys"))
                return
            }
            var request = request
            request.attributes[RequestAttribute.principal] = "key:" + Hex.encode(digest.prefix(6))
            inner.handle(request, responder: responder)
        case .oauth(let server, let metadataBase, let challengeScopes):
            let isLegacy = request.path.hasPrefix("/sse") || request.path.hasPrefix("/messages")
            let metadataURL = metadataBase + (isLegacy ? "/sse" : "/mcp")
            guard let token = Self.bearer(request) else {
                responder.respond(Self.challenge(
                    #"Bearer resource_metadata="\#(metadataURL)", scope="\#(challengeScopes.joined(separator: " "))""#,
                    message: "sign in: this gateway needs an OAuth access token"))
                return
            }
            if let cached = server.cachedValidation(token) {
                admit(request, token: cached, responder: responder, metadataURL: metadataURL)
                return
            }
            responder.run {
                let validated: AuthorizationServer.ValidatedToken?
                do {
                    validated = try await server.validate(token)
                } catch {
                    responder.respond(MCPTransportError.storeUnavailable.response)
                    return
                }
                guard let validated else {
                    responder.respond(Self.challenge(
                        #"Bearer resource_metadata="\#(metadataURL)", error="invalid_token", "#
                            + #"error_description="the access token is unknown, expired or revoked""#,
                        message: "the access token is unknown, expired or revoked; sign in again"))
                    return
                }
                admit(request, token: validated, responder: responder, metadataURL: metadataURL)
            }
        }
    }

    private func admit(
        _ request: HTTPRequest, token: AuthorizationServer.ValidatedToken, responder: HTTPResponder,
        metadataURL: String
    ) {
        if let tool = Self.calledTool(request), let needed = requiredScope(tool), !token.scopes.contains(needed) {
            // Step-up (MCP 2025-11-25): the scope the client should ask for, with what it already has.
            let scopes = (token.scopes + [needed]).joined(separator: " ")
            responder.respond(HTTPResponse.error(
                .forbidden, code: "insufficient_scope", message: "\(tool) needs the scope \(needed)",
                headers: ["WWW-Authenticate": #"Bearer error="insufficient_scope", scope="\#(scopes)", "#
                    + #"resource_metadata="\#(metadataURL)""#]))
            return
        }
        var request = request
        request.attributes[RequestAttribute.principal] = "user:" + token.user
        inner.handle(request, responder: responder)
    }

    /// The token of `Authorization: Bearer …`; tokens in query strings are not accepted (mcp.md §6.2).
    static func bearer(_ request: HTTPRequest) -> String? {
        guard let header = request.headers["Authorization"], header.count > 7,
              header.prefix(7).lowercased() == "bearer "
        else { return nil }
        let token = header.dropFirst(7).trimmingPrefix(" ")
        return token.isEmpty ? nil : String(token)
    }

    private static func challenge(_ value: String, message: String) -> HTTPResponse {
        .error(.unauthorized, code: "unauthorized", message: message, headers: ["WWW-Authenticate": value])
    }

    /// The tool a `tools/call` POST names; other bodies are not parsed (a byte scan rules them out first).
    static func calledTool(_ request: HTTPRequest) -> String? {
        guard request.method == .post, request.body.count < 1_048_576,
              request.body.firstRange(of: Array("tools/call".utf8)) != nil,
              let message = try? JSONParser.parse(request.body), message["method"]?.stringValue == "tools/call"
        else { return nil }
        return message["params"]?["name"]?.stringValue
    }
}
