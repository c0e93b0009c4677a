import TestSupport

extension GatewayProcess {
    /// Waits for `gateway_wait` to log that the call with `requestID` stopped because it was cancelled: the proof
    /// that its work ended, since a cancelled request sends the client nothing. Needs `LOG_LEVEL=debug`.
    ///
    /// - Returns: The step it stopped in, or nil if the gateway exited without logging it.
    func waitForCancelledWait(requestID: String) async -> Int? {
        let line = await waitForLine { line in
            Self.jsonField("msg", in: line) == "diagnostic wait cancelled"
                && Self.jsonField("mcp.request", in: line) == requestID
        }
        return line.flatMap { Self.jsonField("step", in: $0) }.flatMap(Int.init)
    }
}
