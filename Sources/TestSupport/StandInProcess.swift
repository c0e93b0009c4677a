package import Foundation
import Glibc

/// The `MakeStandIn` executable as a child process: started with flags, ready once it prints
/// `listening on port N`, stopped by PID.
package final class StandInProcess: Sendable {
    package static let apiToken = "5b1e6a0c-3f2d-4c8a-9e71-2a4b6c8d0e1f"

    package let port: Int
    /// The child itself, run and read like any other (its output collected, its exit awaited).
    private let child: GatewayProcess

    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    private init(port: Int, child: GatewayProcess) {
        self.port = port
        self.child = child
    }

    /// The executable `swift build` put next to the test bundle.
    package static var executable: URL {
        GatewayProcess.productsDirectory.appendingPathComponent("MakeStandIn")
    }

    /// Starts the stand-in on a free port and returns once it listens.
    package static func launch(_ arguments: [String] = []) async throws -> StandInProcess {
        let child = try GatewayProcess.spawn(executable.path, arguments: ["--port", "0"] + arguments)
        let prefix = "listening on port "
        guard let line = await child.waitForLine(where: { $0.hasPrefix(prefix) }),
              let port = Int(line.dropFirst(prefix.count))
        else {
            child.stop()
            throw Failure(description: "the stand-in did not print its port:\n\(child.outputText)")
        }
        return StandInProcess(port: port, child: child)
    }

    /// Kills the process by PID at once; for cleanup in a `defer`.
    package func kill() {
        child.stop()
    }

    /// Sends SIGTERM to the process and returns its exit status.
    package func stop() async -> Int32 {
        child.send(signal: SIGTERM)
        return await child.waitForExit()
    }

    /// One request on a fresh connection; `Token` authentication with the default API token unless told otherwise.
    package func request(
        _ method: String, _ target: String, body: String? = nil, contentType: String = "application/json",
        authorization: String? = "Token \(StandInProcess.apiToken)"
    ) async throws -> TestHTTPResponse {
        let connection = try await RawHTTPConnection.connect(port: port)
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let authorization { head += "Authorization: \(authorization)\r\n" }
        if let body {
            head += "Content-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\n"
        }
        try await connection.send(head + "\r\n" + (body ?? ""))
        return try await connection.readResponse(isHead: method == "HEAD")
    }
}

/// Runs `body` against a fresh stand-in started with `arguments`, then stops it by PID, also when `body` throws.
///
/// - Returns: The stand-in's exit status after SIGTERM.
@discardableResult
package func withStandIn(
    _ arguments: [String] = [], _ body: (StandInProcess) async throws -> Void
) async throws -> Int32 {
    let standIn = try await StandInProcess.launch(arguments)
    do {
        try await body(standIn)
    } catch {
        _ = await standIn.stop()
        throw error
    }
    return await standIn.stop()
}

extension TestHTTPResponse {
    /// The body as an object, or an empty one; for `#expect`s on fields.
    package var json: [String: Any] { jsonBody ?? [:] }

    /// The `Location` header's query items, percent-decoded.
    package var locationQuery: [String: String] {
        guard let location = header("Location"), let components = URLComponents(string: location) else { return [:] }
        return Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
    }
}
