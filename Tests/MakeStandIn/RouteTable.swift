import HTTPServer

/// The Make API's routes, as path templates relative to `/api/v2` (`/scenarios/{scenarioId}/run`), each with the
/// scope it needs. Where templates overlap, the one with a literal segment further left wins, so
/// `/sdk/apps/connections/{connectionName}` beats `/sdk/apps/{name}/{version}`.
struct RouteTable: Sendable {
    typealias Handler = @Sendable (APIRequest) async throws -> HTTPResponse

    struct Route: Sendable {
        let method: HTTPMethod
        /// The template as written, also the name requests are counted under (`GET /scenarios/{scenarioId}`).
        let template: String
        /// The scope a credential needs, or nil for the few endpoints that need none.
        let scope: String?
        let handler: Handler
        fileprivate let segments: [Segment]

        var name: String { "\(method) \(template)" }
    }

    fileprivate enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    enum Match {
        case found(Route, parameters: [String: String])
        case wrongMethod
        case notFound
    }

    private var routes: [Route] = []

    mutating func add(_ method: HTTPMethod, _ template: String, scope: String?, _ handler: @escaping Handler) {
        let segments = template.split(separator: "/").map { part -> Segment in
            part.hasPrefix("{") && part.hasSuffix("}")
                ? .parameter(String(part.dropFirst().dropLast()))
                : .literal(String(part))
        }
        routes.append(Route(method: method, template: template, scope: scope, handler: handler, segments: segments))
    }

    /// The route for `method` and `path` (relative to `/api/v2`), with its path parameters percent-decoded.
    func match(method: HTTPMethod, path: String) -> Match {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard !parts.contains(where: \.isEmpty) else { return .notFound }
        var candidates: [(route: Route, parameters: [String: String])] = []
        for route in routes where route.segments.count == parts.count {
            var parameters: [String: String] = [:]
            var matches = true
            for (segment, part) in zip(route.segments, parts) {
                switch segment {
                case .literal(let literal) where literal == part: continue
                case .literal: matches = false
                case .parameter(let name): parameters[name] = HTTPRequest.percentDecoded(part)
                }
                if !matches { break }
            }
            if matches { candidates.append((route, parameters)) }
        }
        guard !candidates.isEmpty else { return .notFound }
        let best = candidates.map(\.route.segments).max(by: Self.isLessSpecific)!
        let sameShape = candidates.filter { $0.route.segments.map(\.isLiteral) == best.map(\.isLiteral) }
        guard let hit = sameShape.first(where: { $0.route.method == method }) else { return .wrongMethod }
        return .found(hit.route, parameters: hit.parameters)
    }

    /// Literal segments beat parameters, compared from the left.
    private static func isLessSpecific(_ lhs: [Segment], _ rhs: [Segment]) -> Bool {
        for (left, right) in zip(lhs, rhs) where left.isLiteral != right.isLiteral {
            return right.isLiteral
        }
        return false
    }
}

extension RouteTable.Segment {
    var isLiteral: Bool {
        if case .literal = self { return true }
        return false
    }
}
