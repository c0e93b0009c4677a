import Logging
import MCPProtocol
import Synchronization
import Testing

/// One ``MCPServer`` and one session on it, driven with JSON-RPC text as a transport would drive it, with no I/O:
/// a request goes in, and what the client would receive comes out, the response as compact JSON and every
/// notification (the session's own and those of running requests) in the order sent.
struct MCPServerHarness {
    let server: MCPServer
    let session: MCPSession
    private let sent: Recorder

    /// Collects what the server sends outside responses; written from request tasks, read by the test.
    final class Recorder: Sendable {
        private let messages = Mutex<[String]>([])

        func append(_ message: JSONRPCMessage) {
            let text = String(decoding: message.serialized(), as: UTF8.self)
            messages.withLock { $0.append(text) }
        }

        var all: [String] { messages.withLock { $0 } }
    }

    init(registry: MCPRegistry = MCPRegistry(), pageSize: Int = 100) {
        let recorder = Recorder()
        server = MCPServer(info: MCPServerInfo(name: "test-server", version: "1.2.3", title: "Test server"),
                           registry: registry, pageSize: pageSize,
                           logger: Logger(label: "test.mcp") { _ in SwiftLogNoOpLogHandler() })
        session = MCPSession(id: "session") { recorder.append($0) }
        sent = recorder
    }

    /// Notifications sent so far, oldest first.
    var notifications: [String] { sent.all }

    /// Sends `json` and returns the response a client would get, or nil for a message that gets none. Deferred
    /// requests run to completion first.
    func send(_ json: String) async throws -> String? {
        let message = try JSONRPCMessage.parse(bytes: Array(json.utf8))
        let response: JSONRPCMessage?
        switch server.handle(message, session: session) {
        case .none:
            response = nil
        case .response(let answer):
            response = answer
        case .deferred(let deferred):
            response = await run(deferred)
        }
        return response.map { String(decoding: $0.serialized(), as: UTF8.self) }
    }

    /// Sends `json` and returns its response parsed, for tests that look inside the result.
    func result(of json: String) async throws -> JSONValue {
        let text = try #require(try await send(json))
        return try JSONParser.parse(Array(text.utf8))
    }

    /// Runs a deferred request and returns its response, or nil if it was cancelled before answering.
    func run(_ deferred: MCPDeferredRequest) async -> JSONRPCMessage? {
        let recorder = sent
        return await withCheckedContinuation { continuation in
            let started = server.start(deferred, session: session, executor: nil, emit: { recorder.append($0) },
                                       deliver: { continuation.resume(returning: $0) },
                                       onCancelled: { continuation.resume(returning: nil) })
            if !started { continuation.resume(returning: MCPServer.duplicateRequest(deferred.id)) }
        }
    }

    /// Answers `initialize` with `version` and sends `notifications/initialized`.
    @discardableResult
    func initialize(version: String = "2025-11-25") async throws -> JSONValue {
        let result = try await result(of: Self.initializeRequest(version: version))
        _ = try await send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        return result
    }

    static func initializeRequest(id: Int = 1, version: String) -> String {
        #"{"jsonrpc":"2.0","id":\#(id),"method":"initialize","params":{"protocolVersion":"\#(version)","#
            + #""capabilities":{},"clientInfo":{"name":"test","version":"1"}}}"#
    }
}
