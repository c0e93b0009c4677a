import Foundation
import Glibc
import TestSupport
import Testing

/// A rolling deploy under load: three replicas behind nginx restarted one at a time while the official Python SDK
/// keeps calling through Streamable HTTP sessions.
@Suite("Rolling deploys", .serialized, .timeLimit(.minutes(5)))
struct RollingDeployTests {
    @Test("restarting every replica in turn loses no Streamable HTTP session; failures are at most what was in flight")
    func rollingRestart() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: PythonSDKInteropTests.python),
                     "the Python SDK venv is missing; `make test` creates it")
        var fleet = try await Fleet.start()
        defer { fleet.stop() }
        let stopFile = FileManager.default.temporaryDirectory.appendingPathComponent("rolling-\(UUID().uuidString)")
        let sessions = 4
        let script = GatewayProcess.packageRoot.appendingPathComponent("Tests/interop/python_sdk_rolling.py").path
        let load = try GatewayProcess.spawn(
            PythonSDKInteropTests.python,
            arguments: ["-W", "ignore", script, "http://127.0.0.1:\(fleet.nginx.port)/mcp", "\(sessions)",
                        stopFile.path])
        defer { load.stop() }
        #expect(await load.waitForLine { $0 == "ready" } != nil, "\(load.outputText)")
        for index in fleet.replicas.indices {
            fleet = try await fleet.restarting(index)
            // Each restarted replica serves again before the next one goes.
            #expect(try await fleet.replicas[index].waitForLine { $0.contains("\"msg\":\"listening\"") } != nil)
        }
        FileManager.default.createFile(atPath: stopFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: stopFile) }
        #expect(await load.waitForExit() == 0, "\(load.outputText)")
        let line = try #require(load.logLines.last(where: { $0.hasPrefix("{") }), "\(load.outputText)")
        let summary = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let calls = try #require(summary["calls"] as? Int)
        let failures = summary["failures"] as? [String] ?? []
        #expect(summary["sessions_lost"] as? Int == 0, "\(line)")
        // A request in flight on a stopped replica may fail: at most one per session per restart.
        #expect(failures.count <= sessions * fleet.replicas.count, "\(line)")
        #expect(calls > 0)
        print("rolling restart of \(fleet.replicas.count) replicas: \(calls) calls, \(failures.count) failed: \(failures)")
    }
}
