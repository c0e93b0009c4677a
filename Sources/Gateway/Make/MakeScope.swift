internal import HTTPServer
internal import MCPProtocol

/// The part of Make a session may touch and which catalog tools it sees: chosen by the server's settings, and by the
/// query of the endpoint URL the client connected to (`/mcp?teamId=2&tools=default,keys`), as Make's hosted server
/// takes them. A session may narrow the server's scope, never leave it.
struct MakeScope: Sendable, Hashable {
    var organizationID: Int64?
    var teamID: Int64?
    /// Only these scenarios become tools; empty means every eligible one in scope.
    var scenarioIDs: [Int64] = []

    /// The session parameter names the gateway reads from the endpoint URL.
    enum Parameter {
        static let tools = "tools"
        static let organizationID = "organizationId"
        static let teamID = "teamId"
        static let scenarioIDs = "scenarioId"
    }

    /// The session parameters an opening request asks for, checked against the server's own scope.
    ///
    /// - Returns: The parameters to keep with the session, or why they cannot be had.
    static func sessionParameters(
        of request: HTTPRequest, serverScope: MakeScope
    ) -> Result<[String: String], MCPTransportError> {
        var parameters: [String: String] = [:]
        if let tools = request.queryParameter(Parameter.tools) {
            if let problem = MakeToolSelection.problem(in: tools) {
                return .failure(.invalidSessionParameter(name: Parameter.tools, expected: problem))
            }
            parameters[Parameter.tools] = tools
        }
        for (name, serverValue) in [(Parameter.organizationID, serverScope.organizationID),
                                    (Parameter.teamID, serverScope.teamID)] {
            guard let text = request.queryParameter(name) else { continue }
            guard let value = Int64(text), value > 0 else {
                return .failure(.invalidSessionParameter(name: name, expected: "a positive integer id"))
            }
            if let serverValue, serverValue != value {
                return .failure(.invalidSessionParameter(
                    name: name, expected: "\(serverValue), the only one this gateway serves"))
            }
            parameters[name] = text
        }
        let scenarioTexts = request.queryValues(Parameter.scenarioIDs) + request.queryValues(Parameter.scenarioIDs + "[]")
        let scenarioIDs = scenarioTexts.flatMap { $0.split(separator: ",") }.map { Int64($0) }
        if scenarioIDs.contains(where: { $0 == nil || $0! <= 0 }) {
            return .failure(.invalidSessionParameter(name: Parameter.scenarioIDs, expected: "positive integer ids"))
        }
        if !scenarioIDs.isEmpty {
            parameters[Parameter.scenarioIDs] = scenarioIDs.map { String($0!) }.joined(separator: ",")
        }
        return .success(parameters)
    }

    /// The scope of `session`: the server's, narrowed by what the session asked for when it opened.
    static func of(_ session: MCPSession, serverScope: MakeScope) -> MakeScope {
        let parameters = session.parameters
        var scope = serverScope
        if let organization = parameters[Parameter.organizationID].flatMap({ Int64($0) }) {
            scope.organizationID = organization
        }
        if let team = parameters[Parameter.teamID].flatMap({ Int64($0) }) { scope.teamID = team }
        if let scenarios = parameters[Parameter.scenarioIDs] {
            scope.scenarioIDs = scenarios.split(separator: ",").compactMap { Int64($0) }
        }
        return scope
    }
}
