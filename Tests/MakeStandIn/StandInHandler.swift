import Foundation
import HTTPServer

/// The stand-in's front door. Every request outside `/__standin/` goes through the same steps, in this order:
/// injected faults, then for `/api/v2/…` authentication, the route's scope, the organization's rate limit (the run
/// endpoint is exempt, as on Make) and the route itself; `/oauth/v2/…` goes to the OAuth server. Each is recorded in
/// the request log.
final class StandInHandler: HTTPHandler {
    let settings: StandInSettings
    let world: World
    let oauth: OAuthServer
    let faults: FaultInjector
    let requestLog: RequestLog
    let rateLimiter: RateLimiter
    private let routes: RouteTable

    init(settings: StandInSettings, world: World) {
        self.settings = settings
        self.world = world
        oauth = OAuthServer(settings: settings)
        faults = FaultInjector()
        requestLog = RequestLog(capacity: settings.requestLogSize)
        rateLimiter = RateLimiter(limitPerMinute: settings.rateLimitPerMinute)
        routes = Routes.all()
    }

    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        // Every answer may wait (an injected delay, a responsive run), so all of them are worked out in a task the
        // connection owns.
        responder.run {
            responder.respond(await self.response(to: request))
        }
    }

    func response(to request: HTTPRequest) async -> HTTPResponse {
        if request.path == "/__standin" || request.path.hasPrefix("/__standin/") {
            return control(request)
        }
        let receivedAt = Date()
        let started = ContinuousClock.now
        let outcome = await serve(request)
        let scheme = request.headers["Authorization"]?.split(separator: " ", maxSplits: 1).first.map(String.init)
        requestLog.record(
            RequestLog.Entry(
                method: request.method.rawValue, path: request.path, route: outcome.route,
                query: QueryItems(request.head.query).description, authScheme: scheme, bodyBytes: request.body.count,
                status: outcome.response.status.code, receivedAt: receivedAt, duration: .now - started,
                wasInjected: outcome.wasInjected, wasRateLimited: outcome.wasRateLimited))
        return outcome.response
    }

    private struct Outcome {
        var response: HTTPResponse
        var route: String
        var wasInjected = false
        var wasRateLimited = false
    }

    private func serve(_ request: HTTPRequest) async -> Outcome {
        let method: HTTPMethod = request.method == .head ? .get : request.method
        let apiPath = request.path.hasPrefix("/api/v2/") ? String(request.path.dropFirst("/api/v2".count)) : nil
        let match = apiPath.map { routes.match(method: method, path: $0) }
        var routeName = "\(method) \(request.path)"
        if case .found(let route, _)? = match { routeName = route.name }

        if let fault = faults.take(method: method, path: request.path) {
            if fault.delay > .zero { try? await Task.sleep(for: fault.delay) }
            if let error = fault.error {
                return Outcome(response: error.response, route: routeName, wasInjected: true)
            }
        }
        guard let match else {
            return Outcome(response: serveOAuth(request, method: method), route: routeName)
        }
        return await serveAPI(request, match: match, routeName: routeName)
    }

    private func serveAPI(_ request: HTTPRequest, match: RouteTable.Match, routeName: String) async -> Outcome {
        let principal: Principal
        switch authenticate(request.headers["Authorization"]) {
        case .success(let authenticated): principal = authenticated
        case .failure(let error): return Outcome(response: error.response, route: routeName)
        }
        guard case .found(let route, let parameters) = match else {
            return Outcome(response: MakeError.unknownEndpoint.response, route: routeName)
        }
        if let scope = route.scope, !principal.scopes.contains(scope) {
            return Outcome(response: MakeError.missingScope(scope).response, route: routeName)
        }
        // POST /scenarios/{id}/run is not subject to the organization's limit (make-api.md §3.1).
        if route.template != "/scenarios/{scenarioId}/run", let retryAfter = rateLimiter.admit() {
            let error = MakeError.rateLimited(retryAfterSeconds: settings.rateLimitSendsRetryAfter ? retryAfter : nil)
            return Outcome(response: error.response, route: routeName, wasRateLimited: true)
        }
        let apiRequest = APIRequest(
            http: request, parameters: parameters, query: QueryItems(request.head.query),
            principal: principal, world: world, settings: settings)
        do {
            return Outcome(response: try await route.handler(apiRequest), route: routeName)
        } catch let error as MakeError {
            return Outcome(response: error.response, route: routeName)
        } catch {
            return Outcome(response: MakeError.internalError("\(error)").response, route: routeName)
        }
    }

    /// `Token <uuid>` (the API token) or `Bearer <access token>` (from this stand-in's OAuth server).
    private func authenticate(_ header: String?) -> Result<Principal, MakeError> {
        guard let header else { return .failure(.unauthorized) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return .failure(.unauthorized) }
        let credential = String(parts[1]).trimmingCharacters(in: .whitespaces)
        switch parts[0].lowercased() {
        case "token":
            guard credential == settings.apiToken else { return .failure(.unauthorized) }
            return .success(Principal(scheme: "Token", scopes: settings.apiTokenScopes))
        case "bearer":
            return oauth.scopes(forAccessToken: credential).map { Principal(scheme: "Bearer", scopes: Set($0)) }
        default:
            return .failure(.unauthorized)
        }
    }

    // MARK: - OAuth

    private func serveOAuth(_ request: HTTPRequest, method: HTTPMethod) -> HTTPResponse {
        let issuer = "http://" + (request.headers["Host"] ?? "\(settings.host):\(settings.port)")
        switch (method, request.path) {
        case (.get, "/oauth/v2/authorize"):
            return oauth.authorize(QueryItems(request.head.query))
        case (.post, "/oauth/v2/token"), (.post, "/oauth/v2/revoke"):
            let contentType = request.headers["Content-Type"]?.lowercased() ?? ""
            guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
                return OAuthServer.Failure(
                    error: "invalid_request",
                    description: "The body must be application/x-www-form-urlencoded."
                )
                .response
            }
            let form = QueryItems(bytes: request.body)
            return request.path == "/oauth/v2/token" ? oauth.token(form, issuer: issuer) : oauth.revoke(form)
        case (.get, "/oauth/v2/oidc/userinfo"):
            return oauth.userinfo(authorization: request.headers["Authorization"])
        case (.get, "/oauth/v2/oidc/jwks"):
            return .json(["keys": []])
        case (.get, "/.well-known/openid-configuration"):
            return oauth.discovery(issuer: issuer)
        default:
            return MakeError.unknownEndpoint.response
        }
    }
}
