package import Foundation
import Glibc
import Synchronization

/// The `MakeStandIn` executable as a child process: started with flags, ready once it prints
/// `listening on port N`, stopped by PID.
package final class StandInProcess: Sendable {
    package static let apiToken = "5b1e6a0c-3f2d-4c8a-9e71-2a4b6c8d0e1f"

    package let port: Int
    private let process: Process
    private let exit: ExitStatus

    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    private init(port: Int, process: Process, exit: ExitStatus) {
        self.port = port
        self.process = process
        self.exit = exit
    }

    /// The executable `swift build` put next to the test bundle.
    package static var executable: URL {
        GatewayProcess.productsDirectory.appendingPathComponent("MakeStandIn")
    }

    /// Starts the stand-in on a free port and returns once it listens.
    package static func launch(_ arguments: [String] = []) async throws -> StandInProcess {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--port", "0"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let exit = ExitStatus()
        // A termination handler, not waitUntilExit, which spins a run loop on Linux.
        process.terminationHandler = { exit.resolve($0.terminationStatus) }
        try process.run()
        guard let port = await firstLine(of: output.fileHandleForReading).flatMap(Self.port(in:)) else {
            Glibc.kill(process.processIdentifier, SIGKILL)
            throw Failure(description: "the stand-in did not print its port")
        }
        return StandInProcess(port: port, process: process, exit: exit)
    }

    /// Kills the process by PID at once; for cleanup in a `defer`.
    package func kill() {
        Glibc.kill(process.processIdentifier, SIGKILL)
    }

    /// Sends SIGTERM to the process and returns its exit status.
    package func stop() async -> Int32 {
        Glibc.kill(process.processIdentifier, SIGTERM)
        return await exit.value()
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

    private static func port(in line: String) -> Int? {
        guard line.hasPrefix("listening on port ") else { return nil }
        return Int(line.dropFirst("listening on port ".count))
    }

    /// Reads the child's first output line on a thread of its own (the read blocks), then keeps draining.
    private static func firstLine(of handle: FileHandle) async -> String? {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                var pending = ""
                var continuation: CheckedContinuation<String?, Never>? = continuation
                while true {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    pending += String(decoding: data, as: UTF8.self)
                    if let newline = pending.firstIndex(of: "\n"), let waiting = continuation {
                        waiting.resume(returning: String(pending[..<newline]))
                        continuation = nil
                    }
                }
                continuation?.resume(returning: nil)
            }
            thread.start()
        }
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
