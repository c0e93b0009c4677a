internal import Glibc

/// An MCP load client for `make bench`, written never to be the bottleneck: one thread, one epoll loop,
/// non-blocking loopback sockets, hand-rolled HTTP/1.1 and SSE parsing, request bodies from byte templates and
/// response ids found by byte scanning (no JSON library, no Foundation). See ``LoadOptions/usage``.
@main
struct MCPLoad {
    static func main() {
        // A server that drops a connection must not kill the client; sends also pass MSG_NOSIGNAL.
        signal(SIGPIPE, SIG_IGN)
        let options: LoadOptions
        do {
            options = try LoadOptions(arguments: Array(CommandLine.arguments.dropFirst()))
        } catch {
            printError(error.description)
            exit(2)
        }
        SystemClock.raiseDescriptorLimit()
        do {
            if options.isIdleMode {
                exit(try runIdle(options))
            } else {
                exit(try runLoad(options))
            }
        } catch {
            printError("mcpload: \(error)")
            exit(1)
        }
    }

    /// Prints the load figures; exit status 1 when anything failed (the figures are printed all the same).
    private static func runLoad(_ options: LoadOptions) throws(LoadError) -> Int32 {
        let result = try LoadRun(options: options).run()
        let prefix = options.label
        printFigure("\(prefix)_rps", format(result.requestsPerSecond, decimals: 0))
        printFigure("\(prefix)_p50_ms", format(result.p50Milliseconds, decimals: 3))
        printFigure("\(prefix)_p99_ms", format(result.p99Milliseconds, decimals: 3))
        printFigure("\(prefix)_failures", "\(result.failures)")
        printFigure("\(prefix)_client_cpu_pct", format(result.clientCPUPercent, decimals: 1))
        if options.requestLimit > 0 { printFigure("\(prefix)_requests", "\(result.requests)") }
        return result.failures == 0 ? 0 : 1
    }

    /// Prints the idle-session figures; the memory lines only when at least one session opened.
    private static func runIdle(_ options: LoadOptions) throws(LoadError) -> Int32 {
        guard let result = try IdleSSERun(options: options).run() else { return 1 }
        printFigure("idle_sse_sessions", "\(result.established)")
        printFigure("idle_sse_failures", "\(result.failures)")
        printFigure("idle_sse_rss_before_mib", format(Double(result.residentBeforeKiB) / 1024, decimals: 1))
        if result.established > 0 {
            let grownKiB = Double(result.residentAfterKiB - result.residentBeforeKiB)
            printFigure("idle_sse_rss_total_mib", format(Double(result.residentAfterKiB) / 1024, decimals: 1))
            printFigure("idle_sse_rss_per_session_kib", format(grownKiB / Double(result.established), decimals: 2))
        }
        return result.failures == 0 && result.established == options.idleSSESessions ? 0 : 1
    }

    private static func printFigure(_ name: String, _ value: String) {
        writeLine("\(name) \(value)", to: STDOUT_FILENO)
    }

    /// `value` with a fixed number of decimals, without Foundation's `String(format:)`.
    static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "nan" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        let sign = value < 0 && scaled > 0 ? "-" : ""
        guard decimals > 0 else { return "\(sign)\(whole)" }
        let digits = String(fraction)
        return "\(sign)\(whole).\(String(repeating: "0", count: decimals - digits.count))\(digits)"
    }
}

/// One line on stderr, for progress and failure reports (stdout carries figures only).
func printError(_ line: String) {
    writeLine(line, to: STDERR_FILENO)
}

/// Writes `line` and a newline straight to `fd`, unbuffered, so lines appear in order even if the process exits.
func writeLine(_ line: String, to fd: Int32) {
    var bytes = Array(line.utf8)
    bytes.append(UInt8(ascii: "\n"))
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written <= 0 { return }
        offset += written
    }
}
