internal import Glibc

/// What sessions report to the run that drives them.
protocol SessionObserver: AnyObject {
    /// A request was answered successfully `latency` nanoseconds after it was written; `now` is when.
    func sessionDidComplete(latency: UInt64, now: UInt64)
    /// Something failed: a non-2xx status, a JSON-RPC error, a closed connection, a timeout.
    func sessionDidFail(kind: String, detail: String)
    /// An HTTP+SSE session finished its handshake (idle mode only; load sessions go straight to their loop).
    func sessionDidEstablish()
    /// An idle-mode session failed and will not retry.
    func sessionDidEnd(wasEstablished: Bool)
}

/// What every session of a run shares: the poller, the server's address, the options and the request template
/// parts that do not depend on the session.
final class SessionContext {
    let poller: Poller
    let address: sockaddr_in
    /// Where HTTP+SSE POSTs go: `address` unless `--post-url` names another server.
    let postAddress: sockaddr_in
    let options: LoadOptions
    unowned let observer: any SessionObserver
    /// What follows `"id":N` in the measured request's body.
    let bodyAfterID: String
    let timeoutNanoseconds: UInt64
    /// A session broken by a failure starts over this long afterwards, so a server that refuses everything is
    /// not hammered in a tight loop.
    let restartDelayNanoseconds: UInt64 = 100_000_000
    let checksToolError: Bool
    let isIdleMode: Bool

    init(poller: Poller, options: LoadOptions, observer: any SessionObserver) {
        self.poller = poller
        self.options = options
        self.observer = observer
        address = Self.socketAddress(host: options.host, port: options.port)
        postAddress = Self.socketAddress(host: options.postHost, port: options.postPort)
        bodyAfterID = RequestTemplate.bodyAfterID(
            method: options.method, tool: options.tool,
            arguments: options.toolArguments)
        timeoutNanoseconds = UInt64(options.timeout * 1e9)
        checksToolError = options.method == "tools/call"
        isIdleMode = options.isIdleMode
    }

    private static func socketAddress(host: String, port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        return address
    }

    /// The `initialize` request body (id 0) offering `protocolVersion`.
    func initializeBody() -> String {
        let version = options.offeredProtocolVersion
        return #"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"\#(version)","#
            + #""capabilities":{},"clientInfo":{"name":"mcpload","version":"1"}}}"#
    }

    static let initializedBody = #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#
}
