/// Routes requests by exact path, then by method. Unknown paths get 404; known paths with another method get 405
/// with `Allow`. HEAD is served wherever GET is (RFC 9110 §9.3.2), the server dropping the body.
package struct HTTPRouter: HTTPHandler {
    private struct Route: Sendable {
        var handlers: [HTTPMethod: any HTTPHandler] = [:]

        var allowHeader: String {
            var methods = Set(handlers.keys.map(\.rawValue))
            if methods.contains("GET") { methods.insert("HEAD") }
            return methods.sorted().joined(separator: ", ")
        }
    }

    private var routes: [String: Route] = [:]

    package init() {}

    /// Adds a handler for `method` at `path` (several paths may share one handler, e.g. `/mcp` and `/mcp/`).
    package mutating func add(_ method: HTTPMethod, _ paths: String..., handler: some HTTPHandler) {
        for path in paths {
            routes[path, default: Route()].handlers[method] = handler
        }
    }

    /// Every path the router serves, for labelling metrics by route without unbounded values.
    package var paths: Set<String> { Set(routes.keys) }

    package func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        guard let route = routes[request.path] else {
            responder.respond(.error(.notFound, code: "not_found", message: "no resource at \(request.path)"))
            return
        }
        let method = request.method == .head && route.handlers[.head] == nil ? .get : request.method
        guard let handler = route.handlers[method] else {
            let allow = route.allowHeader
            responder.respond(.error(.methodNotAllowed, code: "method_not_allowed",
                                     message: "\(request.method) is not allowed on \(request.path); use \(allow)",
                                     headers: ["Allow": allow]))
            return
        }
        handler.handle(request, responder: responder)
    }
}
