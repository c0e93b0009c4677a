import Foundation
import Glibc
import Synchronization

/// A real `redis-server` on a free loopback port, persistence off, started for a test and stopped by PID.
package final class RedisServer: Sendable {
    package let port: Int
    private let process: Process

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    package var url: String { "redis://127.0.0.1:\(port)/0" }

    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// Starts a server (on `port`, or a free one) and returns once it answers PING.
    ///
    /// - Parameter unixSocket: Also listen on this Unix socket path.
    package static func start(
        port requestedPort: Int? = nil, password: String? = nil, unixSocket: String? = nil
    ) async throws -> RedisServer {
        let port = try requestedPort ?? freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        var arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                         "--daemonize", "no", "--loglevel", "warning"]
        if let password { arguments += ["--requirepass", password] }
        if let unixSocket { arguments += ["--unixsocket", unixSocket, "--unixsocketperm", "700"] }
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot start /usr/bin/redis-server (make test installs it): \(error)")
        }
        let server = RedisServer(port: port, process: process)
        for _ in 0..<400 {
            if await server.answersPing(password: password) { return server }
            try await Task.sleep(for: .milliseconds(10))
        }
        server.stop()
        throw Failure(description: "redis-server on port \(port) did not answer PING")
    }

    /// Kills the server by PID, as an outage would, and waits for it to exit.
    package func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        var status: Int32 = 0
        waitpid(process.processIdentifier, &status, 0)
    }

    private func answersPing(password: String?) async -> Bool {
        guard let connection = try? await RawHTTPConnection.connect(port: port, receiveTimeoutSeconds: 2) else {
            return false
        }
        var command = "PING\r\n"
        if let password { command = "AUTH \(password)\r\n" + command }
        guard (try? await connection.send(command)) != nil,
              let bytes = try? await connection.readUntil(suffix: "PONG\r\n")
        else { return false }
        return String(decoding: bytes, as: UTF8.self).hasSuffix("PONG\r\n")
    }

    /// A free loopback port for a server a test starts next, found by binding it. It is taken from below Linux's
    /// ephemeral range (``ephemeralPorts``, 32768–60999 by default): a port from there, as binding port 0 gives, can
    /// become the source port of any test's outgoing connection before the server binds it, which failed starts
    /// with "Address already in use" when suites ran in parallel. No port is handed out twice in one test run: two
    /// tests that drew the same free port, one after the other, both started a server on it before either bound it.
    package static func freePort() throws -> Int {
        let below = ephemeralPorts.lowerBound
        guard below > 11_000 else { throw Failure(description: "no port range below the ephemeral ports \(below)") }
        for _ in 0..<500 {
            let port = Int.random(in: 10_000..<below)
            if canBind(port), handedOut.withLock({ $0.insert(port).inserted }) { return port }
        }
        throw Failure(description: "no free port in 10000-\(below - 1)")
    }

    private static let handedOut = Mutex<Set<Int>>([])

    /// The ports the kernel hands out for port 0 and outgoing connections (`ip_local_port_range`).
    package static var ephemeralPorts: ClosedRange<Int> {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let bounds = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard bounds.count == 2, bounds[0] <= bounds[1] else { return 32_768...60_999 }
        return bounds[0]...bounds[1]
    }

    private static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
