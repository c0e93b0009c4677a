import Glibc
import Gateway
import Logging

/// The executable: reads the configuration, starts logging, runs the gateway. Everything else lives in `Gateway`.
@main
struct MakeMCPGateway {
    static func main() async {
        // A client that disconnects mid-write must never kill the process; sends also pass MSG_NOSIGNAL.
        signal(SIGPIPE, SIG_IGN)
        let request: LaunchRequest
        do {
            request = try GatewayConfiguration.load(
                arguments: Array(CommandLine.arguments.dropFirst()), environment: environment())
        } catch {
            printToStandardError("make-mcp-gateway: \(error)")
            exit(2)
        }
        let configuration: GatewayConfiguration
        switch request {
        case .help(let text), .version(let text):
            print(text)
            return
        case .run(let loaded):
            configuration = loaded
        }
        LoggingSystem.bootstrap { label in
            LineLogHandler(label: label, level: configuration.logLevel, format: configuration.logFormat)
        }
        let logger = Logger(label: "make-mcp-gateway")
        do {
            try await Gateway(configuration: configuration, logger: logger).run()
            LogSink.standardOutput.flush()
        } catch {
            logger.critical("gateway stopped on an error", metadata: ["error": "\(error)"])
            LogSink.standardOutput.flush()
            exit(1)
        }
    }

    private static func environment() -> [String: String] {
        var variables: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return variables
    }

    private static func printToStandardError(_ message: String) {
        var line = Array((message + "\n").utf8)
        _ = write(STDERR_FILENO, &line, line.count)
    }
}
