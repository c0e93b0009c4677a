internal import Glibc

/// The command line, parsed and checked.
struct LoadOptions {
    enum Transport: String {
        case sse
        case streamable
    }

    var host = "127.0.0.1"
    var port = 0
    /// Where HTTP+SSE POSTs go (`--post-url`); the stream's server unless given.
    var postHost = "127.0.0.1"
    var postPort = 0
    var transport = Transport.streamable
    var sessions = 16
    var method = "ping"
    var tool = ""
    var toolArguments = "{}"
    var duration = 10.0
    /// `--requests N`: the measured phase ends once N requests have been answered or failed (0: by --duration).
    var requestLimit = 0
    /// `--header "Name: value"` (repeatable): extra header lines, CR LF ended, on every request (a bearer token).
    var extraHeaders = ""
    var warmup = 2.0
    var label = "mcp"
    var path = "/mcp"
    var ssePath = "/sse"
    var protocolVersion: String?
    var timeout = 10.0
    var idleSSESessions = 0
    var serverPID: Int32 = 0

    static let usage = """
        usage: MCPLoad --url http://127.0.0.1:PORT --transport sse|streamable [--sessions 16]
                       [--method ping|tools/list|tools/call] [--tool NAME] [--arguments '{}']
                       [--duration 10] [--warmup 2] [--label PREFIX] [--path /mcp] [--sse-path /sse]
                       [--protocol-version V] [--timeout 10] [--post-url http://127.0.0.1:PORT] [--requests N]
                       [--header "Authorization: Bearer TOKEN"]...
               MCPLoad --url http://127.0.0.1:PORT --idle-sse-sessions N --pid PID [--sse-path /sse]

        Closed loop: each session keeps one request outstanding. Prints PREFIX_rps, PREFIX_p50_ms, PREFIX_p99_ms,
        PREFIX_failures and PREFIX_client_cpu_pct over the --duration seconds that follow --warmup seconds.
        --post-url (sse only) sends every POST to another server than the GET stream's (the path still comes from
        the endpoint event), e.g. another replica. --requests N ends the measured phase after N requests (answered
        or failed) instead, with --duration (default 600 then) as a bound, and also prints PREFIX_requests.
        The idle mode opens N HTTP+SSE sessions, holds them idle, and prints the server's RSS growth per session.
        """

    /// The `protocolVersion` the `initialize` request offers: 2024-11-05 for HTTP+SSE, 2025-06-18 otherwise.
    var offeredProtocolVersion: String {
        protocolVersion ?? (transport == .sse ? "2024-11-05" : "2025-06-18")
    }

    var isIdleMode: Bool { idleSSESessions > 0 }

    /// The `Host` header value.
    var authority: String { "\(host):\(port)" }

    /// The `Host` header value of HTTP+SSE POSTs.
    var postAuthority: String { "\(postHost):\(postPort)" }

    init(arguments rawArguments: [String]) throws(OptionsError) {
        // --name=value is the same as --name value.
        let arguments = rawArguments.flatMap { argument -> [String] in
            guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return [argument] }
            return [String(argument[..<equals]), String(argument[argument.index(after: equals)...])]
        }
        var urlPath: String?
        var explicitPath = false
        var explicitSSEPath = false
        var index = 0
        func value(_ name: String) throws(OptionsError) -> String {
            index += 1
            guard index < arguments.count else { throw OptionsError(description: "\(name) needs a value") }
            return arguments[index]
        }
        func number(_ name: String) throws(OptionsError) -> Double {
            let text = try value(name)
            guard let number = Double(text), number >= 0 else {
                throw OptionsError(description: "\(name) needs a non-negative number, not \(text)")
            }
            return number
        }
        var sawURL = false
        var postURL: (host: String, port: Int)?
        var explicitDuration = false
        while index < arguments.count {
            let name = arguments[index]
            switch name {
            case "--url":
                let url = try value(name)
                (host, port, urlPath) = try Self.parse(url: url, option: name)
                sawURL = true
            case "--transport":
                let text = try value(name)
                guard let parsed = Transport(rawValue: text) else {
                    throw OptionsError(description: "--transport is sse or streamable, not \(text)")
                }
                transport = parsed
            case "--sessions": sessions = Int(try number(name))
            case "--method": method = try value(name)
            case "--tool": tool = try value(name)
            case "--arguments": toolArguments = try value(name)
            case "--duration":
                duration = try number(name)
                explicitDuration = true
            case "--requests": requestLimit = Int(try number(name))
            case "--header": extraHeaders += try value(name) + "\r\n"
            case "--post-url":
                let url = try value(name)
                let (postHost, postPort, _) = try Self.parse(url: url, option: name)
                postURL = (postHost, postPort)
            case "--warmup": warmup = try number(name)
            case "--label": label = try value(name)
            case "--path":
                path = try value(name)
                explicitPath = true
            case "--sse-path":
                ssePath = try value(name)
                explicitSSEPath = true
            case "--protocol-version": protocolVersion = try value(name)
            case "--timeout": timeout = try number(name)
            case "--idle-sse-sessions":
                idleSSESessions = Int(try number(name))
                transport = .sse
            case "--pid": serverPID = Int32(try number(name))
            case "--help", "-h": throw OptionsError(description: Self.usage)
            default: throw OptionsError(description: "unknown argument \(name)\n\(Self.usage)")
            }
            index += 1
        }
        guard sawURL else { throw OptionsError(description: "--url is required\n\(Self.usage)") }
        (postHost, postPort) = postURL ?? (host, port)
        if postURL != nil, transport != .sse {
            throw OptionsError(description: "--post-url is for --transport sse (Streamable HTTP has no GET stream)")
        }
        if requestLimit > 0, !explicitDuration { duration = 600 }
        // A path in --url is the endpoint unless --path or --sse-path names one.
        if let urlPath, urlPath != "/" {
            if transport == .sse, !explicitSSEPath { ssePath = urlPath }
            if transport == .streamable, !explicitPath { path = urlPath }
        }
        guard sessions > 0 else { throw OptionsError(description: "--sessions must be at least 1") }
        guard duration > 0 else { throw OptionsError(description: "--duration must be above 0") }
        guard timeout > 0 else { throw OptionsError(description: "--timeout must be above 0") }
        if method == "tools/call", tool.isEmpty {
            throw OptionsError(description: "--method tools/call needs --tool NAME")
        }
        if isIdleMode, serverPID <= 0 {
            throw OptionsError(description: "--idle-sse-sessions needs --pid PID (the server whose memory is measured)")
        }
    }

    /// `http://HOST:PORT[/path]`; the host must be an IPv4 literal or `localhost`, since this is a loopback tool.
    private static func parse(url: String, option: String) throws(OptionsError) -> (String, Int, String?) {
        guard url.hasPrefix("http://") else { throw OptionsError(description: "\(option) must start with http://") }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        guard let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]),
            port > 0, port < 65536
        else { throw OptionsError(description: "\(option) needs an explicit port: http://127.0.0.1:PORT") }
        var host = String(authority[..<colon])
        if host == "localhost" { host = "127.0.0.1" }
        var address = in_addr()
        guard inet_pton(AF_INET, host, &address) == 1 else {
            throw OptionsError(description: "\(option) host must be an IPv4 address or localhost, not \(host)")
        }
        return (host, port, path.isEmpty ? nil : String(path))
    }
}

/// A bad command line; the description says what to fix.
struct OptionsError: Error, CustomStringConvertible {
    let description: String
}
