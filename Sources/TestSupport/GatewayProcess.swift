import Dispatch
package import Foundation
import Synchronization
import Glibc

/// The real `make-mcp-gateway` executable, started as a child process for a test and stopped by PID.
///
/// It is launched with `PORT=0` and `LOG_FORMAT=json`; the port comes from its `listening` log line. Everything it
/// writes to standard output and error is kept for assertions (request log lines, absence of secrets).
package final class GatewayProcess: Sendable {
    package let port: Int
    private let process: Process
    private let output: OutputCollector
    private let exit: ExitStatus

    private init(process: Process, output: OutputCollector, exit: ExitStatus, port: Int) {
        self.process = process
        self.output = output
        self.exit = exit
        self.port = port
    }

    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// Directory holding the built products: the test bundle's own directory, where `swift build` puts executables.
    package static var productsDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    /// Runs the executable to completion with the given arguments and environment; for `--help` and bad settings.
    package static func runToExit(
        arguments: [String], environment: [String: String] = [:]
    ) async throws -> (status: Int32, output: String) {
        let (_, output, exit) = try start(executable: gatewayExecutable, arguments: arguments,
                                          environment: environment)
        let status = await exit.value()
        await output.waitForEndOfOutput()
        return (status, output.text)
    }

    /// Runs any program to completion; for the Python SDK interop scripts.
    package static func runProgram(
        _ path: String, arguments: [String], environment: [String: String] = [:]
    ) async throws -> (status: Int32, output: String) {
        let (_, output, exit) = try start(executable: URL(fileURLWithPath: path), arguments: arguments,
                                          environment: environment)
        let status = await exit.value()
        await output.waitForEndOfOutput()
        return (status, output.text)
    }

    /// Starts any program in the background (a load client), its output collected like the gateway's; for tests that
    /// wait for its lines while they do something else, then for its exit.
    package static func spawn(
        _ path: String, arguments: [String], environment: [String: String] = [:]
    ) throws -> GatewayProcess {
        let (process, output, exit) = try start(executable: URL(fileURLWithPath: path), arguments: arguments,
                                                environment: environment)
        return GatewayProcess(process: process, output: output, exit: exit, port: 0)
    }

    /// Starts the gateway and returns once it listens, on `port` (0: a free one it picks).
    package static func launch(environment: [String: String] = [:], port: Int = 0) async throws -> GatewayProcess {
        var environment = environment
        environment["PORT"] = String(port)
        environment["LOG_FORMAT"] = "json"
        let (process, output, exit) = try start(executable: gatewayExecutable, arguments: [],
                                                environment: environment)
        guard let line = await output.waitForLine(where: { $0.contains(#""msg":"listening""#) }),
              let port = jsonField("http.port", in: line).flatMap(Int.init)
        else {
            process.terminate()
            throw Failure(description: "gateway did not start; output:\n\(output.text)")
        }
        return GatewayProcess(process: process, output: output, exit: exit, port: port)
    }

    private static var gatewayExecutable: URL { productsDirectory.appendingPathComponent("make-mcp-gateway") }

    private static func start(
        executable: URL, arguments: [String], environment: [String: String]
    ) throws -> (Process, OutputCollector, ExitStatus) {
        let process = Process()
        let exit = ExitStatus()
        // A termination handler, not waitUntilExit, which spins a run loop at full CPU on Linux.
        process.terminationHandler = { exit.resolve($0.terminationStatus) }
        process.executableURL = executable
        process.arguments = arguments
        var fullEnvironment = ["PATH": "/usr/bin:/bin"]
        fullEnvironment.merge(environment) { $1 }
        process.environment = fullEnvironment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = OutputCollector(handle: pipe.fileHandleForReading)
        try process.run()
        return (process, output, exit)
    }

    /// Sends a signal to the gateway's PID.
    package func send(signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to exit and returns its exit status.
    package func waitForExit() async -> Int32 {
        let status = await exit.value()
        await output.waitForEndOfOutput()
        return status
    }

    /// Everything written so far.
    package var outputText: String { output.text }

    /// Log lines written so far, each a JSON object as text.
    package var logLines: [String] { output.lines }

    /// Waits for a log line matching `predicate`; nil if the process ends without writing one.
    package func waitForLine(where predicate: @escaping @Sendable (String) -> Bool) async -> String? {
        await output.waitForLine(where: predicate)
    }

    /// Kills the process if it is still running; tests call this in a `defer`-like cleanup.
    package func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// The package's root directory, found from this source file's path.
    package static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The string value of a top-level field of a JSON log line.
    package static func jsonField(_ name: String, in line: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            return nil
        }
        return object[name] as? String
    }
}

/// Reads a child's output on its own thread and lets tests wait for particular lines.
private final class OutputCollector: Sendable {
    private struct State {
        var text = ""
        var lines: [String] = []
        var isFinished = false
        var waiters: [(predicate: @Sendable (String) -> Bool, continuation: CheckedContinuation<String?, Never>)] = []
        var endWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    init(handle: FileHandle) {
        let thread = Thread {
            var pending = ""
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                pending += String(decoding: data, as: UTF8.self)
                while let newline = pending.firstIndex(of: "\n") {
                    let line = String(pending[..<newline])
                    pending = String(pending[pending.index(after: newline)...])
                    self.append(line)
                }
            }
            if !pending.isEmpty { self.append(pending) }
            self.finish()
        }
        thread.start()
    }

    private func append(_ line: String) {
        let ready = state.withLock { state -> [CheckedContinuation<String?, Never>] in
            state.text += line + "\n"
            state.lines.append(line)
            var ready: [CheckedContinuation<String?, Never>] = []
            state.waiters.removeAll { waiter in
                guard waiter.predicate(line) else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return ready
        }
        ready.forEach { $0.resume(returning: line) }
    }

    private func finish() {
        let (waiters, endWaiters) = state.withLock { state in
            state.isFinished = true
            defer {
                state.waiters = []
                state.endWaiters = []
            }
            return (state.waiters, state.endWaiters)
        }
        waiters.forEach { $0.continuation.resume(returning: nil) }
        endWaiters.forEach { $0.resume() }
    }

    var text: String { state.withLock { $0.text } }
    var lines: [String] { state.withLock { $0.lines } }

    func waitForEndOfOutput() async {
        await withCheckedContinuation { continuation in
            let isFinished = state.withLock { state -> Bool in
                if !state.isFinished { state.endWaiters.append(continuation) }
                return state.isFinished
            }
            if isFinished { continuation.resume() }
        }
    }

    func waitForLine(where predicate: @escaping @Sendable (String) -> Bool) async -> String? {
        await withCheckedContinuation { continuation in
            let immediate = state.withLock { state -> String?? in
                if let line = state.lines.first(where: predicate) { return .some(line) }
                if state.isFinished { return .some(nil) }
                state.waiters.append((predicate, continuation))
                return .none
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }
}

/// A child's exit status, delivered once by its termination handler and awaited by any number of tasks.
private final class ExitStatus: Sendable {
    private let state = Mutex<(status: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))

    func resolve(_ status: Int32) {
        let waiters = state.withLock { state in
            state.status = status
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume(returning: status) }
    }

    func value() async -> Int32 {
        await withCheckedContinuation { continuation in
            let status = state.withLock { state -> Int32? in
                if state.status == nil { state.waiters.append(continuation) }
                return state.status
            }
            if let status { continuation.resume(returning: status) }
        }
    }
}
