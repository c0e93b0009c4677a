import Foundation
import Glibc

/// A real nginx in front of gateway replicas, configured with the project's `deploy/nginx.conf`, started for a test
/// and stopped by PID.
package final class NginxServer: Sendable {
    package let port: Int
    private let process: Process
    private let directory: URL

    private init(port: Int, process: Process, directory: URL) {
        self.port = port
        self.process = process
        self.directory = directory
    }

    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// Starts nginx on `port` (a free one if nil), balancing round robin over `upstreamPorts` on 127.0.0.1.
    ///
    /// - Parameter port: For replicas whose `PUBLIC_URL` is nginx's URL, so it must be known before they start.
    package static func start(upstreamPorts: [Int], port requestedPort: Int? = nil) async throws -> NginxServer {
        let port = try requestedPort ?? RedisServer.freePort()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nginx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let site = GatewayProcess.packageRoot.appendingPathComponent("deploy/nginx.conf").path
        let main = """
            worker_processes 1;
            daemon off;
            pid \(directory.path)/nginx.pid;
            error_log \(directory.path)/error.log warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path \(directory.path)/body;
                proxy_temp_path \(directory.path)/proxy;
                include \(site);
            }
            """
        try main.write(to: directory.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        try upstreamPorts.map { "server 127.0.0.1:\($0) max_fails=0;\n" }.joined()
            .write(to: directory.appendingPathComponent("mcp-gateway-upstreams.conf"), atomically: true, encoding: .utf8)
        try "listen 127.0.0.1:\(port);\nserver_name _;\n"
            .write(to: directory.appendingPathComponent("mcp-gateway-listen.conf"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        process.arguments = ["-p", directory.path, "-c", directory.appendingPathComponent("nginx.conf").path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot start /usr/sbin/nginx (make test installs it): \(error)")
        }
        let server = NginxServer(port: port, process: process, directory: directory)
        for _ in 0..<400 {
            if let connection = try? await RawHTTPConnection.connect(port: port, receiveTimeoutSeconds: 2) {
                _ = connection
                return server
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
        server.stop()
        throw Failure(description: "nginx did not start: \(log)")
    }

    /// What nginx logged at warning level and above (upstream errors), for a test's report.
    package var errorLog: String {
        (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
    }

    /// Stops nginx by PID: SIGTERM is its fast shutdown, which takes its worker processes down too (a SIGKILL to
    /// the master would leave them running).
    package func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            var status: Int32 = 0
            waitpid(process.processIdentifier, &status, 0)
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
