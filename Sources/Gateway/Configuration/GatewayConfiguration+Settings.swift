internal import Cryptography
internal import Stores
internal import FoundationEssentials
package import Logging

/// One setting: its environment variable, its flag, its default as shown to people, and how a value is applied.
package struct Setting: Sendable {
    package let variable: String
    package let flag: String
    package let defaultDescription: String
    package let help: String
    /// Secret values are never echoed, not even in an error about them.
    package let isSecret: Bool
    fileprivate let apply: @Sendable (inout GatewayConfiguration, String) throws(ConfigurationError) -> Void
}

/// What the command line asked for.
package enum LaunchRequest: Sendable {
    case run(GatewayConfiguration)
    case help(String)
    case version(String)
}

extension GatewayConfiguration {
    /// Reads flags over environment over defaults, then checks the combination.
    ///
    /// Flags are read first and only the winning value of each setting is applied, so a bad environment variable
    /// neither blocks `--help` or `--version` nor stops a good flag from overriding it.
    ///
    /// - Throws: ``ConfigurationError`` naming the setting and what would fix it.
    package static func load(
        arguments: [String], environment: [String: String]
    ) throws(ConfigurationError) -> LaunchRequest {
        var flagValues: [String: String] = [:]
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            if argument == "--help" || argument == "-h" { return .help(helpText) }
            if argument == "--version" { return .version("make-mcp-gateway \(GatewayBuild.version)") }
            if argument == "--settings-table" { return .help(referenceTable) }
            guard argument.hasPrefix("--") else { throw .unexpectedArgument(argument) }
            let flag: String
            let value: String
            if let equals = argument.firstIndex(of: "=") {
                flag = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            } else {
                flag = argument
                guard let next = remaining.popFirst() else { throw .missingValue(flag: flag) }
                value = next
            }
            guard let setting = settings.first(where: { $0.flag == flag }) else { throw .unknownFlag(flag) }
            // A flag given twice takes its last value, as a later word on a command line usually does.
            flagValues[setting.variable] = value
        }
        var configuration = GatewayConfiguration()
        for setting in settings {
            if let value = flagValues[setting.variable] ?? environment[setting.variable] {
                try setting.apply(&configuration, value)
            }
        }
        try configuration.validate()
        return .run(configuration)
    }

    /// Rules that involve more than one setting.
    private func validate() throws(ConfigurationError) {
        if makeClientID != nil, makeClientSecret == nil {
            throw .invalid(setting: Self.setting("MAKE_CLIENT_SECRET"), value: nil,
                           expected: "a value: MAKE_CLIENT_ID is set, so the gateway needs its Make client secret too")
        }
        if makeClientID != nil, makeAPIToken != nil {
            throw .invalid(setting: Self.setting("MAKE_API_TOKEN"), value: nil,
                           expected: "unset: MAKE_CLIENT_ID turns OAuth mode on, where every user signs in with their "
                               + "own Make account; set one of the two")
        }
        if makeClientID != nil, tokenEncryptionKey == nil {
            throw .invalid(setting: Self.setting("TOKEN_ENCRYPTION_KEY"), value: nil,
                           expected: "32 random bytes in base64: OAuth mode seals every user's Make tokens with it; "
                               + "make one with: openssl rand -base64 32")
        }
        if makeClientID == nil, gatewayAPIKeys.isEmpty, !isLoopbackHost {
            throw .invalid(setting: Self.setting("GATEWAY_API_KEYS"), value: nil,
                           expected: "one or more keys: HOST \(host) is not a loopback address, and without keys (or "
                               + "OAuth) anyone who reaches it could use the Make account; or set HOST=127.0.0.1")
        }
        if tokenPreviousKeys[tokenEncryptionKeyID] != nil {
            throw .invalid(setting: Self.setting("TOKEN_ENCRYPTION_PREVIOUS_KEYS"), value: nil,
                           expected: "ids other than TOKEN_ENCRYPTION_KEY_ID \(tokenEncryptionKeyID), the current key's")
        }
    }

    fileprivate static func setting(_ variable: String) -> Setting {
        settings.first { $0.variable == variable }!
    }

    /// `--help`: every setting with its flag, variable and default.
    package static var helpText: String {
        var lines = [
            "make-mcp-gateway: an MCP gateway for Make.com",
            "",
            "Usage: make-mcp-gateway [--flag value]...",
            "",
            "Every setting is a flag, else an environment variable, else its default.",
            "",
        ]
        let flagWidth = settings.map { $0.flag.count + 1 + $0.variable.count + 2 }.max() ?? 0
        for setting in settings {
            let left = "\(setting.flag) \(setting.variable)"
            let padding = String(repeating: " ", count: flagWidth - left.count + 2)
            lines.append("  \(left)\(padding)\(setting.help) (default: \(setting.defaultDescription))")
        }
        lines.append("")
        lines.append("  --help, -h          show this text")
        lines.append("  --version           show the version")
        lines.append("  --settings-table    print this list as the Markdown table in README.md")
        return lines.joined(separator: "\n")
    }

    /// The Markdown table of every setting that the README embeds; a test keeps the two identical.
    package static var referenceTable: String {
        var lines = ["| variable | flag | default | meaning |", "|---|---|---|---|"]
        for setting in settings {
            lines.append("| `\(setting.variable)` | `\(setting.flag)` | \(setting.defaultDescription) | \(setting.help) |")
        }
        return lines.joined(separator: "\n")
    }

    /// The effective settings for the start-up log line; secrets show only whether they are set.
    package var redactedSummary: Logger.Metadata {
        var metadata: Logger.Metadata = [:]
        metadata["config.host"] = "\(host)"
        metadata["config.port"] = "\(port)"
        metadata["config.public_url"] = "\(effectivePublicURL)"
        metadata["config.store"] = "\(redisURL == nil ? "memory" : "redis")"
        metadata["config.make_api_url"] = "\(makeAPIURL)"
        metadata["config.make_api_token"] = "\(makeAPIToken == nil ? "unset" : "set")"
        metadata["config.oauth"] = "\(makeClientID == nil ? "off" : "on")"
        metadata["config.gateway_api_keys"] = "\(gatewayAPIKeys.count)"
        metadata["config.max_connections"] = "\(maxConnections)"
        metadata["config.max_body_bytes"] = "\(maxBodyBytes)"
        return metadata
    }

    /// The settings table. Order is the order of `--help` and of the README reference.
    package static let settings: [Setting] = [
        Setting(variable: "HOST", flag: "--host", defaultDescription: "127.0.0.1",
                help: "address to listen on; 0.0.0.0 or :: for every interface", isSecret: false) { config, value throws(ConfigurationError) in
            guard !value.isEmpty else { throw .invalid(setting: setting("HOST"), value: value, expected: "an IP address or host name") }
            config.host = value
        },
        Setting(variable: "PORT", flag: "--port", defaultDescription: "8080",
                help: "TCP port to listen on; 0 picks a free one", isSecret: false) { config, value throws(ConfigurationError) in
            config.port = try parseInteger(value, for: setting("PORT"), in: 0...65535)
        },
        Setting(variable: "PUBLIC_URL", flag: "--public-url", defaultDescription: "http://HOST:PORT",
                help: "base URL clients reach the gateway at (behind a proxy: its https URL); its path prefix is kept",
                isSecret: false) { config, value throws(ConfigurationError) in
            guard let url = baseURL(value) else {
                throw .invalid(setting: setting("PUBLIC_URL"), value: value,
                               expected: "an absolute http:// or https:// URL without a query, such as https://mcp.example.com")
            }
            config.publicURL = url
        },
        Setting(variable: "LOG_LEVEL", flag: "--log-level", defaultDescription: "info",
                help: "trace, debug, info, notice, warning, error or critical", isSecret: false) { config, value throws(ConfigurationError) in
            guard let level = Logger.Level(rawValue: value.lowercased()) else {
                throw .invalid(setting: setting("LOG_LEVEL"), value: value,
                               expected: "one of trace, debug, info, notice, warning, error, critical")
            }
            config.logLevel = level
        },
        Setting(variable: "LOG_FORMAT", flag: "--log-format", defaultDescription: "text",
                help: "json (one object per line) or text", isSecret: false) { config, value throws(ConfigurationError) in
            guard let format = LogFormat(rawValue: value.lowercased()) else {
                throw .invalid(setting: setting("LOG_FORMAT"), value: value, expected: "json or text")
            }
            config.logFormat = format
        },
        Setting(variable: "MAX_CONNECTIONS", flag: "--max-connections", defaultDescription: "16384",
                help: "connections served at once; more are answered 503", isSecret: false) { config, value throws(ConfigurationError) in
            config.maxConnections = try parseInteger(value, for: setting("MAX_CONNECTIONS"), in: 1...1_000_000)
        },
        Setting(variable: "MAX_REQUEST_LINE_BYTES", flag: "--max-request-line-bytes", defaultDescription: "8192",
                help: "longest request line; longer is answered 414", isSecret: false) { config, value throws(ConfigurationError) in
            config.maxRequestLineBytes = try parseInteger(value, for: setting("MAX_REQUEST_LINE_BYTES"), in: 64...1_048_576)
        },
        Setting(variable: "MAX_HEADER_BYTES", flag: "--max-header-bytes", defaultDescription: "16384",
                help: "largest header section; larger is answered 431", isSecret: false) { config, value throws(ConfigurationError) in
            config.maxHeaderBytes = try parseInteger(value, for: setting("MAX_HEADER_BYTES"), in: 256...1_048_576)
        },
        Setting(variable: "MAX_HEADER_COUNT", flag: "--max-header-count", defaultDescription: "100",
                help: "most header fields in a request; more is answered 431", isSecret: false) { config, value throws(ConfigurationError) in
            config.maxHeaderCount = try parseInteger(value, for: setting("MAX_HEADER_COUNT"), in: 1...10_000)
        },
        Setting(variable: "MAX_BODY_BYTES", flag: "--max-body-bytes", defaultDescription: "4194304",
                help: "largest request body (and so MCP message); larger is answered 413", isSecret: false) { config, value throws(ConfigurationError) in
            config.maxBodyBytes = try parseInteger(value, for: setting("MAX_BODY_BYTES"), in: 1...1_073_741_824)
        },
        Setting(variable: "HEADER_TIMEOUT", flag: "--header-timeout", defaultDescription: "10s",
                help: "time from a request's first byte to its last header; then 408", isSecret: false) { config, value throws(ConfigurationError) in
            config.headerTimeout = try parseDuration(value, for: setting("HEADER_TIMEOUT"))
        },
        Setting(variable: "BODY_TIMEOUT", flag: "--body-timeout", defaultDescription: "30s",
                help: "time from the last header to the end of the body; then 408", isSecret: false) { config, value throws(ConfigurationError) in
            config.bodyTimeout = try parseDuration(value, for: setting("BODY_TIMEOUT"))
        },
        Setting(variable: "IDLE_TIMEOUT", flag: "--idle-timeout", defaultDescription: "75s",
                help: "how long an idle keep-alive connection stays open (keep it above the proxy's)", isSecret: false) { config, value throws(ConfigurationError) in
            config.idleTimeout = try parseDuration(value, for: setting("IDLE_TIMEOUT"))
        },
        Setting(variable: "WRITE_TIMEOUT", flag: "--write-timeout", defaultDescription: "30s",
                help: "how long a client may accept no bytes before it is dropped", isSecret: false) { config, value throws(ConfigurationError) in
            config.writeTimeout = try parseDuration(value, for: setting("WRITE_TIMEOUT"))
        },
        Setting(variable: "STREAM_BUFFER_BYTES", flag: "--stream-buffer-bytes", defaultDescription: "1048576",
                help: "bytes a stream may queue for a slow reader before it is cut", isSecret: false) { config, value throws(ConfigurationError) in
            config.streamBufferBytes = try parseInteger(value, for: setting("STREAM_BUFFER_BYTES"), in: 1024...1_073_741_824)
        },
        Setting(variable: "DRAIN_TIMEOUT", flag: "--drain-timeout", defaultDescription: "25s",
                help: "on SIGTERM, how long in-flight requests may finish (keep it under the pod's grace period)", isSecret: false) { config, value throws(ConfigurationError) in
            config.drainTimeout = try parseDuration(value, for: setting("DRAIN_TIMEOUT"))
        },
        Setting(variable: "EVENT_LOOPS", flag: "--event-loops", defaultDescription: "0 (one per CPU)",
                help: "event loop threads that connections, their requests' work and Redis connections are spread over", isSecret: false) { config, value throws(ConfigurationError) in
            config.eventLoops = try parseInteger(value, for: setting("EVENT_LOOPS"), in: 0...256)
        },
        Setting(variable: "SSE_KEEPALIVE_INTERVAL", flag: "--sse-keepalive-interval", defaultDescription: "15s",
                help: "how often an idle event stream gets a comment line, so proxies keep it open", isSecret: false) { config, value throws(ConfigurationError) in
            config.sseKeepAliveInterval = try parseDuration(value, for: setting("SSE_KEEPALIVE_INTERVAL"))
        },
        Setting(variable: "SESSION_IDLE_TTL", flag: "--session-idle-ttl", defaultDescription: "30m",
                help: "a Streamable HTTP session with no request and no open stream this long ends", isSecret: false) { config, value throws(ConfigurationError) in
            config.sessionIdleTTL = try parseDuration(value, for: setting("SESSION_IDLE_TTL"))
        },
        Setting(variable: "MAX_SESSIONS", flag: "--max-sessions", defaultDescription: "20000",
                help: "MCP sessions this process holds at once; more are answered 503", isSecret: false) { config, value throws(ConfigurationError) in
            config.maxSessions = try parseInteger(value, for: setting("MAX_SESSIONS"), in: 1...10_000_000)
        },
        Setting(variable: "MAX_STREAMS_PER_SESSION", flag: "--max-streams-per-session", defaultDescription: "4",
                help: "event streams one Streamable HTTP session may hold open at once (its GET stream included)", isSecret: false) { config, value throws(ConfigurationError) in
            config.maxStreamsPerSession = try parseInteger(value, for: setting("MAX_STREAMS_PER_SESSION"), in: 1...1000)
        },
        Setting(variable: "MAX_JSON_DEPTH", flag: "--max-json-depth", defaultDescription: "64",
                help: "deepest nesting of arrays and objects in an MCP message; deeper is a parse error", isSecret: false) { config, value throws(ConfigurationError) in
            config.maxJSONDepth = try parseInteger(value, for: setting("MAX_JSON_DEPTH"), in: 2...10_000)
        },
        Setting(variable: "MAX_QUEUED_EVENTS", flag: "--max-queued-events", defaultDescription: "256",
                help: "events kept per stream for a client that reconnects with Last-Event-ID", isSecret: false) { config, value throws(ConfigurationError) in
            config.maxQueuedEvents = try parseInteger(value, for: setting("MAX_QUEUED_EVENTS"), in: 1...1_000_000)
        },
        Setting(variable: "ALLOWED_ORIGINS", flag: "--allowed-origins", defaultDescription: "PUBLIC_URL's origin",
                help: "comma-separated browser origins allowed besides PUBLIC_URL's; others get 403", isSecret: false) { config, value throws(ConfigurationError) in
            let origins = value.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
            for origin in origins where baseURL(origin) == nil {
                throw .invalid(setting: setting("ALLOWED_ORIGINS"), value: origin,
                               expected: "origins such as https://app.example.com, separated by commas")
            }
            config.allowedOrigins = origins
        },
        Setting(variable: "LIST_PAGE_SIZE", flag: "--list-page-size", defaultDescription: "100",
                help: "entries per page of tools/list, resources/list and prompts/list", isSecret: false) { config, value throws(ConfigurationError) in
            config.listPageSize = try parseInteger(value, for: setting("LIST_PAGE_SIZE"), in: 1...10_000)
        },
        Setting(variable: "DIAGNOSTIC_TOOLS", flag: "--diagnostic-tools", defaultDescription: "off",
                help: "on adds gateway_wait, a tool that waits and reports progress, for testing clients", isSecret: false) { config, value throws(ConfigurationError) in
            config.diagnosticTools = try parseSwitch(value, for: setting("DIAGNOSTIC_TOOLS"))
        },
        Setting(variable: "REPLICA_ID", flag: "--replica-id", defaultDescription: "the host name",
                help: "this process's name among replicas, as gateway_info reports it", isSecret: false) { config, value throws(ConfigurationError) in
            guard !value.isEmpty, value.utf8.count <= 128 else {
                throw .invalid(setting: setting("REPLICA_ID"), value: value, expected: "a name of 1 to 128 characters")
            }
            config.replicaID = value
        },
        Setting(variable: "RATE_LIMIT_REQUESTS", flag: "--rate-limit-requests", defaultDescription: "600",
                help: "MCP requests per window per identity (user, or client address); over it 429; 0 is no limit", isSecret: false) { config, value throws(ConfigurationError) in
            config.rateLimitRequests = try parseInteger(value, for: setting("RATE_LIMIT_REQUESTS"), in: 0...10_000_000)
        },
        Setting(variable: "RATE_LIMIT_READS", flag: "--rate-limit-reads", defaultDescription: "300",
                help: "calls of read-only tools per window per identity; 0 is no limit", isSecret: false) { config, value throws(ConfigurationError) in
            config.rateLimitReads = try parseInteger(value, for: setting("RATE_LIMIT_READS"), in: 0...10_000_000)
        },
        Setting(variable: "RATE_LIMIT_WRITES", flag: "--rate-limit-writes", defaultDescription: "60",
                help: "calls of tools that change things per window per identity; 0 is no limit", isSecret: false) { config, value throws(ConfigurationError) in
            config.rateLimitWrites = try parseInteger(value, for: setting("RATE_LIMIT_WRITES"), in: 0...10_000_000)
        },
        Setting(variable: "RATE_LIMIT_RUNS", flag: "--rate-limit-runs", defaultDescription: "30",
                help: "scenario runs per window per identity; 0 is no limit", isSecret: false) { config, value throws(ConfigurationError) in
            config.rateLimitRuns = try parseInteger(value, for: setting("RATE_LIMIT_RUNS"), in: 0...10_000_000)
        },
        Setting(variable: "RATE_LIMIT_WINDOW", flag: "--rate-limit-window", defaultDescription: "1m",
                help: "the window the rate limits count over", isSecret: false) { config, value throws(ConfigurationError) in
            config.rateLimitWindow = try parseDuration(value, for: setting("RATE_LIMIT_WINDOW"))
        },
        Setting(variable: "FORWARDED_FOR_HOPS", flag: "--forwarded-for-hops", defaultDescription: "0",
                help: "trusted proxies in front (1 behind one nginx): the client address is taken from X-Forwarded-For", isSecret: false) { config, value throws(ConfigurationError) in
            config.forwardedForHops = try parseInteger(value, for: setting("FORWARDED_FOR_HOPS"), in: 0...10)
        },
        Setting(variable: "REDIS_URL", flag: "--redis-url", defaultDescription: "unset (in-memory store)",
                help: "redis://[user:password@]host:port/db or unix:///path.sock; shared state for replicas", isSecret: true) { config, value throws(ConfigurationError) in
            guard RedisURL(value) != nil else {
                throw .invalid(setting: setting("REDIS_URL"), value: nil,
                               expected: "a redis://[user:password@]host:port/db or unix:///path.sock URL")
            }
            config.redisURL = Secret(value)
        },
        Setting(variable: "REDIS_KEY_PREFIX", flag: "--redis-key-prefix", defaultDescription: "mcpgw:",
                help: "prefix of every Redis key, so several deployments can share one Redis", isSecret: false) { config, value throws(ConfigurationError) in
            guard !value.isEmpty, value.utf8.count <= 64, !value.contains(" ") else {
                throw .invalid(setting: setting("REDIS_KEY_PREFIX"), value: value, expected: "1 to 64 characters without spaces")
            }
            config.redisKeyPrefix = value
        },
        Setting(variable: "REDIS_POOL_SIZE", flag: "--redis-pool-size", defaultDescription: "1",
                help: "Redis connections per event loop for commands, which pipeline on their own (one more is used for pub/sub)", isSecret: false) { config, value throws(ConfigurationError) in
            config.redisPoolSize = try parseInteger(value, for: setting("REDIS_POOL_SIZE"), in: 1...64)
        },
        Setting(variable: "REDIS_TIMEOUT", flag: "--redis-timeout", defaultDescription: "2s",
                help: "connect and command timeout for Redis", isSecret: false) { config, value throws(ConfigurationError) in
            config.redisTimeout = try parseDuration(value, for: setting("REDIS_TIMEOUT"))
        },
        Setting(variable: "MAKE_API_URL", flag: "--make-api-url", defaultDescription: "https://eu1.make.com/api/v2",
                help: "Make API base URL of your zone", isSecret: false) { config, value throws(ConfigurationError) in
            guard let url = baseURL(value) else {
                throw .invalid(setting: setting("MAKE_API_URL"), value: value,
                               expected: "an absolute URL such as https://eu1.make.com/api/v2")
            }
            config.makeAPIURL = url
        },
        Setting(variable: "MAKE_API_TOKEN", flag: "--make-api-token", defaultDescription: "unset",
                help: "Make API token for static-token mode", isSecret: true) { config, value throws(ConfigurationError) in
            guard !value.isEmpty else { throw .invalid(setting: setting("MAKE_API_TOKEN"), value: nil, expected: "a Make API token") }
            config.makeAPIToken = Secret(value)
        },
        Setting(variable: "MAKE_OAUTH_URL", flag: "--make-oauth-url", defaultDescription: "https://www.make.com/oauth/v2",
                help: "Make OAuth 2.0 base URL (authorize, token, revoke)", isSecret: false) { config, value throws(ConfigurationError) in
            guard let url = baseURL(value) else {
                throw .invalid(setting: setting("MAKE_OAUTH_URL"), value: value,
                               expected: "an absolute URL such as https://www.make.com/oauth/v2")
            }
            config.makeOAuthURL = url
        },
        Setting(variable: "MAKE_CLIENT_ID", flag: "--make-client-id", defaultDescription: "unset (OAuth off)",
                help: "the gateway's OAuth client id registered at Make; turns OAuth mode on", isSecret: false) { config, value throws(ConfigurationError) in
            guard !value.isEmpty else { throw .invalid(setting: setting("MAKE_CLIENT_ID"), value: value, expected: "a client id") }
            config.makeClientID = value
        },
        Setting(variable: "MAKE_CLIENT_SECRET", flag: "--make-client-secret", defaultDescription: "unset",
                help: "the gateway's OAuth client secret at Make", isSecret: true) { config, value throws(ConfigurationError) in
            guard !value.isEmpty else { throw .invalid(setting: setting("MAKE_CLIENT_SECRET"), value: nil, expected: "a client secret") }
            config.makeClientSecret = Secret(value)
        },
        Setting(variable: "TOKEN_ENCRYPTION_KEY", flag: "--token-encryption-key", defaultDescription: "unset",
                help: "32 random bytes, base64, sealing Make tokens at rest (openssl rand -base64 32)", isSecret: true) { config, value throws(ConfigurationError) in
            guard let key = Data(base64Encoded: value), key.count == 32 else {
                throw .invalid(setting: setting("TOKEN_ENCRYPTION_KEY"), value: nil,
                               expected: "32 bytes in base64 (44 characters); make one with: openssl rand -base64 32")
            }
            config.tokenEncryptionKey = Secret(value)
        },
        Setting(variable: "OTLP_ENDPOINT", flag: "--otlp-endpoint", defaultDescription: "unset (no export)",
                help: "OpenTelemetry collector base URL; spans of MCP requests and Make calls go to its /v1/traces as OTLP/HTTP JSON", isSecret: false) { config, value throws(ConfigurationError) in
            guard let url = baseURL(value) else {
                throw .invalid(setting: setting("OTLP_ENDPOINT"), value: value,
                               expected: "an absolute URL such as http://otel-collector:4318")
            }
            config.otlpEndpoint = url
        },
        Setting(variable: "TOKEN_ENCRYPTION_KEY_ID", flag: "--token-encryption-key-id", defaultDescription: "1",
                help: "id stored with every value TOKEN_ENCRYPTION_KEY seals; give a new key a new id to rotate", isSecret: false) { config, value throws(ConfigurationError) in
            config.tokenEncryptionKeyID = try parseInteger(value, for: setting("TOKEN_ENCRYPTION_KEY_ID"), in: 1...255)
        },
        Setting(variable: "TOKEN_ENCRYPTION_PREVIOUS_KEYS", flag: "--token-encryption-previous-keys", defaultDescription: "unset",
                help: "older keys that still open what they sealed while rotating: id:base64,id:base64", isSecret: true) { config, value throws(ConfigurationError) in
            var keys: [Int: Secret] = [:]
            for entry in value.split(separator: ",").map({ $0.trimmingSpaces }) where !entry.isEmpty {
                let parts = entry.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, let id = Int(parts[0]), (1...255).contains(id),
                      let key = Data(base64Encoded: String(parts[1])), key.count == 32
                else {
                    throw .invalid(setting: setting("TOKEN_ENCRYPTION_PREVIOUS_KEYS"), value: nil,
                                   expected: "id:base64 pairs (ids 1 to 255, 32-byte keys), separated by commas")
                }
                keys[id] = Secret(String(parts[1]))
            }
            config.tokenPreviousKeys = keys
        },
        Setting(variable: "GATEWAY_TOKEN_TTL", flag: "--gateway-token-ttl", defaultDescription: "1h",
                help: "lifetime of the access tokens the gateway issues to MCP clients in OAuth mode", isSecret: false) { config, value throws(ConfigurationError) in
            config.gatewayTokenTTL = try parseDuration(value, for: setting("GATEWAY_TOKEN_TTL"))
        },
        Setting(variable: "GATEWAY_REFRESH_TOKEN_TTL", flag: "--gateway-refresh-token-ttl", defaultDescription: "720h",
                help: "lifetime of the gateway's refresh tokens (rotated on every use)", isSecret: false) { config, value throws(ConfigurationError) in
            config.gatewayRefreshTokenTTL = try parseDuration(value, for: setting("GATEWAY_REFRESH_TOKEN_TTL"), maximum: 366 * 86_400_000)
        },
        Setting(variable: "AUTH_VALIDATION_CACHE_TTL", flag: "--auth-validation-cache-ttl", defaultDescription: "5s",
                help: "how long a checked access token is trusted without a store lookup; revocation reaches every replica within it", isSecret: false) { config, value throws(ConfigurationError) in
            config.authValidationCacheTTL = try parseDuration(value, for: setting("AUTH_VALIDATION_CACHE_TTL"))
        },
        Setting(variable: "OAUTH_CODE_TTL", flag: "--oauth-code-ttl", defaultDescription: "60s",
                help: "how long the gateway's single-use authorization codes may be redeemed", isSecret: false) { config, value throws(ConfigurationError) in
            config.oauthCodeTTL = try parseDuration(value, for: setting("OAUTH_CODE_TTL"), maximum: 600_000)
        },
        Setting(variable: "OAUTH_REFRESH_GRACE", flag: "--oauth-refresh-grace", defaultDescription: "30s",
                help: "how long a rotated refresh token still works, for a client whose refresh answer was lost", isSecret: false) { config, value throws(ConfigurationError) in
            config.oauthRefreshGrace = try parseDuration(value, for: setting("OAUTH_REFRESH_GRACE"), maximum: 600_000)
        },
        Setting(variable: "CLIENT_METADATA_DOCUMENTS", flag: "--client-metadata-documents", defaultDescription: "on",
                help: "on accepts an https URL of a Client ID Metadata Document as an OAuth client id (fetched, capped, never from private addresses)", isSecret: false) { config, value throws(ConfigurationError) in
            config.clientMetadataDocuments = try parseSwitch(value, for: setting("CLIENT_METADATA_DOCUMENTS"))
        },
        Setting(variable: "CLIENT_METADATA_ALLOW_LOCAL", flag: "--client-metadata-allow-local", defaultDescription: "off",
                help: "tests only: on lets metadata documents come from http:// and loopback or private addresses", isSecret: false) { config, value throws(ConfigurationError) in
            config.clientMetadataAllowLocal = try parseSwitch(value, for: setting("CLIENT_METADATA_ALLOW_LOCAL"))
        },
        Setting(variable: "GATEWAY_API_KEYS", flag: "--gateway-api-keys", defaultDescription: "unset",
                help: "comma-separated bearer keys MCP clients present in static-token mode", isSecret: true) { config, value throws(ConfigurationError) in
            let keys = value.split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
            guard !keys.isEmpty, keys.allSatisfy({ $0.count >= 16 }) else {
                throw .invalid(setting: setting("GATEWAY_API_KEYS"), value: nil,
                               expected: "one or more comma-separated keys of at least 16 characters")
            }
            config.gatewayAPIKeys = keys.map { Secret($0) }
        },
        Setting(variable: "MAKE_TOOLS", flag: "--make-tools", defaultDescription: "default",
                help: "catalog tools offered: default (40 for managing scenarios), all, group or tool names, comma-separated; -name removes; a session's ?tools= overrides", isSecret: false) { config, value throws(ConfigurationError) in
            if let problem = MakeToolSelection.problem(in: value) {
                throw .invalid(setting: setting("MAKE_TOOLS"), value: value, expected: problem)
            }
            config.makeTools = value
        },
        Setting(variable: "MAKE_ORGANIZATION_ID", flag: "--make-organization-id", defaultDescription: "unset",
                help: "confine every session to this Make organization (sessions may narrow it with ?teamId=)", isSecret: false) { config, value throws(ConfigurationError) in
            config.makeOrganizationID = Int64(try parseInteger(value, for: setting("MAKE_ORGANIZATION_ID"), in: 1...Int.max))
        },
        Setting(variable: "MAKE_TEAM_ID", flag: "--make-team-id", defaultDescription: "unset",
                help: "confine every session to this Make team: its scenarios become tools, and teamId arguments default to it", isSecret: false) { config, value throws(ConfigurationError) in
            config.makeTeamID = Int64(try parseInteger(value, for: setting("MAKE_TEAM_ID"), in: 1...Int.max))
        },
        Setting(variable: "SCENARIO_TOOLS", flag: "--scenario-tools", defaultDescription: "on",
                help: "on makes every active on-demand scenario in scope a tool", isSecret: false) { config, value throws(ConfigurationError) in
            config.scenarioTools = try parseSwitch(value, for: setting("SCENARIO_TOOLS"))
        },
        Setting(variable: "SCENARIO_TOOLS_REFRESH", flag: "--scenario-tools-refresh", defaultDescription: "1m",
                help: "how long the scenario tools of a scope are kept before they are listed again", isSecret: false) { config, value throws(ConfigurationError) in
            config.scenarioToolsRefresh = try parseDuration(value, for: setting("SCENARIO_TOOLS_REFRESH"))
        },
        Setting(variable: "SCENARIO_RUN_TIMEOUT", flag: "--scenario-run-timeout", defaultDescription: "5m",
                help: "how long a scenario tool follows a run that outlasts Make's responsive wait before it returns the execution id", isSecret: false) { config, value throws(ConfigurationError) in
            config.scenarioRunTimeout = try parseDuration(value, for: setting("SCENARIO_RUN_TIMEOUT"))
        },
        Setting(variable: "SCENARIO_POLL_INTERVAL", flag: "--scenario-poll-interval", defaultDescription: "2s",
                help: "how often a followed run's status is read (each read reports progress)", isSecret: false) { config, value throws(ConfigurationError) in
            config.scenarioPollInterval = try parseDuration(value, for: setting("SCENARIO_POLL_INTERVAL"))
        },
        Setting(variable: "MAKE_RATE_LIMIT", flag: "--make-rate-limit", defaultDescription: "60",
                help: "Make API requests per minute per organization when its license.apiLimit cannot be read (Core plan: 60)", isSecret: false) { config, value throws(ConfigurationError) in
            config.makeRateLimit = try parseInteger(value, for: setting("MAKE_RATE_LIMIT"), in: 1...1_000_000)
        },
        Setting(variable: "MAKE_RATE_LIMIT_WAIT", flag: "--make-rate-limit-wait", defaultDescription: "10s",
                help: "how long a call waits for room in its organization's Make rate limit before it fails", isSecret: false) { config, value throws(ConfigurationError) in
            config.makeRateLimitWait = try parseDuration(value, for: setting("MAKE_RATE_LIMIT_WAIT"))
        },
        Setting(variable: "MAKE_TIMEOUT", flag: "--make-timeout", defaultDescription: "60s",
                help: "longest one Make API call may take, connecting included", isSecret: false) { config, value throws(ConfigurationError) in
            config.makeTimeout = try parseDuration(value, for: setting("MAKE_TIMEOUT"))
        },
        Setting(variable: "MAKE_CONNECT_TIMEOUT", flag: "--make-connect-timeout", defaultDescription: "5s",
                help: "longest a connection to Make may take to open", isSecret: false) { config, value throws(ConfigurationError) in
            config.makeConnectTimeout = try parseDuration(value, for: setting("MAKE_CONNECT_TIMEOUT"))
        },
        Setting(variable: "MAKE_CONNECTIONS_PER_HOST", flag: "--make-connections-per-host", defaultDescription: "16",
                help: "connections kept open to each Make host, shared by every call", isSecret: false) { config, value throws(ConfigurationError) in
            config.makeConnectionsPerHost = try parseInteger(value, for: setting("MAKE_CONNECTIONS_PER_HOST"), in: 1...1024)
        },
        Setting(variable: "MAKE_MAX_RESPONSE_BYTES", flag: "--make-max-response-bytes", defaultDescription: "16777216",
                help: "largest Make API answer accepted; larger fails the call", isSecret: false) { config, value throws(ConfigurationError) in
            config.makeMaxResponseBytes = try parseInteger(value, for: setting("MAKE_MAX_RESPONSE_BYTES"), in: 1024...1_073_741_824)
        },
        Setting(variable: "MAKE_RETRIES", flag: "--make-retries", defaultDescription: "3",
                help: "extra attempts of an idempotent Make call after a 429, 502, 503, 504 or network failure (never a scenario run)", isSecret: false) { config, value throws(ConfigurationError) in
            config.makeRetries = try parseInteger(value, for: setting("MAKE_RETRIES"), in: 0...10)
        },
        Setting(variable: "MAKE_CIRCUIT_THRESHOLD", flag: "--make-circuit-threshold", defaultDescription: "5",
                help: "consecutive failures (5xx, timeouts) after which calls to a zone pause", isSecret: false) { config, value throws(ConfigurationError) in
            config.makeCircuitThreshold = try parseInteger(value, for: setting("MAKE_CIRCUIT_THRESHOLD"), in: 1...1000)
        },
        Setting(variable: "MAKE_CIRCUIT_OPEN_TIME", flag: "--make-circuit-open-time", defaultDescription: "30s",
                help: "how long a paused zone refuses calls before one probe is let through", isSecret: false) { config, value throws(ConfigurationError) in
            config.makeCircuitOpenTime = try parseDuration(value, for: setting("MAKE_CIRCUIT_OPEN_TIME"))
        },
        Setting(variable: "MAKE_CACHE_TTL", flag: "--make-cache-ttl", defaultDescription: "30s",
                help: "how long Make reads (lists, gets) are cached per identity; 0 turns caching off", isSecret: false) { config, value throws(ConfigurationError) in
            config.makeCacheTTL = try parseCacheDuration(value, for: setting("MAKE_CACHE_TTL"))
        },
        Setting(variable: "MAKE_CACHE_TTL_REFERENCE", flag: "--make-cache-ttl-reference", defaultDescription: "1h",
                help: "cache time of reference data that rarely changes (enums, public templates, roles); 0 is off", isSecret: false) { config, value throws(ConfigurationError) in
            config.makeCacheTTLReference = try parseCacheDuration(value, for: setting("MAKE_CACHE_TTL_REFERENCE"))
        },
        Setting(variable: "MAKE_CACHE_TTL_LIVE", flag: "--make-cache-ttl-live", defaultDescription: "5s",
                help: "cache time of fast-changing reads (execution logs, incomplete executions, data-store records); 0 is off", isSecret: false) { config, value throws(ConfigurationError) in
            config.makeCacheTTLLive = try parseCacheDuration(value, for: setting("MAKE_CACHE_TTL_LIVE"))
        },
        Setting(variable: "MAKE_ALLOW_HTTP", flag: "--make-allow-http", defaultDescription: "off",
                help: "on allows plain http:// Make URLs, for a local stand-in in tests; never in production", isSecret: false) { config, value throws(ConfigurationError) in
            config.makeAllowHTTP = try parseSwitch(value, for: setting("MAKE_ALLOW_HTTP"))
        },
    ]

    /// An absolute http(s) URL with a host and no query or fragment, without its trailing slash.
    private static func baseURL(_ value: String) -> String? {
        guard let url = URL(string: value), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host(), !host.isEmpty, url.query() == nil, url.fragment() == nil
        else { return nil }
        return value.hasSuffix("/") ? String(value.dropLast()) : value
    }

    private static func parseInteger(
        _ value: String, for setting: Setting, in range: ClosedRange<Int>
    ) throws(ConfigurationError) -> Int {
        guard let number = Int(value.trimmingSpaces), range.contains(number) else {
            throw .invalid(setting: setting, value: value,
                           expected: "an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    private static func parseSwitch(_ value: String, for setting: Setting) throws(ConfigurationError) -> Bool {
        switch value.lowercased() {
        case "on", "true", "1", "yes": return true
        case "off", "false", "0", "no": return false
        default: throw .invalid(setting: setting, value: value, expected: "on or off")
        }
    }

    /// A cache time: a duration, or 0 (or `off`) for no caching.
    private static func parseCacheDuration(_ value: String, for setting: Setting) throws(ConfigurationError) -> Duration {
        if ["0", "off"].contains(value.trimmingSpaces.lowercased()) { return .zero }
        return try parseDuration(value, for: setting)
    }

    /// Durations are a number with a unit: `250ms`, `10s`, `5m`, `1h`; a bare number means seconds.
    private static func parseDuration(
        _ value: String, for setting: Setting, maximum: Double = 86_400_000
    ) throws(ConfigurationError) -> Duration {
        let text = value.trimmingSpaces.lowercased()
        let units: [(suffix: String, milliseconds: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        var milliseconds: Double?
        for unit in units where text.hasSuffix(unit.suffix) {
            if let number = Double(text.dropLast(unit.suffix.count)) {
                milliseconds = number * unit.milliseconds
                break
            }
        }
        if milliseconds == nil, let seconds = Double(text) { milliseconds = seconds * 1000 }
        guard let milliseconds, milliseconds >= 1, milliseconds <= maximum else {
            throw .invalid(setting: setting, value: value,
                           expected: "a duration from 1ms to \(Int(maximum / 3_600_000))h such as 250ms, 10s or 5m")
        }
        return .milliseconds(Int64(milliseconds))
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
