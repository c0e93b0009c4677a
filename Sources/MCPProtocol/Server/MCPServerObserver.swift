/// Watches the requests a server answers, for metrics, logs and traces, without the router knowing about any of
/// them. Requests answered at once are reported after the fact; deferred ones run inside ``run(_:context:_:)``,
/// so an observer can time them and make them the scope of a trace span.
package protocol MCPServerObserver: Sendable {
    /// A request answered synchronously (`ping`, the lists): its method and whether the answer was an error.
    func answered(method: String, isError: Bool)

    /// Runs a deferred request's work (`tools/call`, `resources/read`, …); `body` produces its response.
    func run(_ method: String, context: MCPRequestContext,
             _ body: @Sendable () async -> JSONRPCMessage) async -> JSONRPCMessage

    /// A tool call ended: `outcome` is `ok`, `error` (a tool result with `isError`) or `invalid` (its arguments did
    /// not validate, so it never ran).
    func toolFinished(_ tool: MCPTool, outcome: String, seconds: Double, context: MCPRequestContext)
}
