package import Cryptography
package import HTTPServer
package import Logging

/// Every setting of the gateway, typed and validated, in one place.
///
/// Each setting comes from a flag (`--port 8080`), else an environment variable (`PORT`), else its default; the table
/// in ``GatewayConfiguration/settings`` defines all three, the help text and how a value is checked, so `--help`, the
/// README's reference and the parser can never disagree.
package struct GatewayConfiguration: Sendable {
    package enum LogFormat: String, Sendable, CaseIterable {
        case json
        case text
    }

    package var host = "127.0.0.1"
    package var port = 8080
    /// The base URL clients use to reach the gateway; nil means `http://HOST:PORT`.
    package var publicURL: String?
    package var logLevel = Logger.Level.info
    package var logFormat = LogFormat.text

    package var maxConnections = 16384
    package var maxRequestLineBytes = 8192
    package var maxHeaderBytes = 16384
    package var maxHeaderCount = 100
    package var maxBodyBytes = 4_194_304
    package var headerTimeout = Duration.seconds(10)
    package var bodyTimeout = Duration.seconds(30)
    package var idleTimeout = Duration.seconds(75)
    package var writeTimeout = Duration.seconds(30)
    package var streamBufferBytes = 1_048_576
    package var drainTimeout = Duration.seconds(25)
    package var eventLoops = 0

    package var sseKeepAliveInterval = Duration.seconds(15)
    package var sessionIdleTTL = Duration.seconds(1800)
    package var maxSessions = 20000
    package var maxStreamsPerSession = 4
    package var maxJSONDepth = 64
    package var maxQueuedEvents = 256
    package var allowedOrigins: [String] = []
    package var listPageSize = 100
    package var diagnosticTools = false
    /// This process's name among replicas, reported by `gateway_info`; the host name by default.
    package var replicaID = GatewayConfiguration.defaultReplicaID

    /// Requests per window an identity may make to the MCP endpoints; 0 turns the limit off.
    package var rateLimitRequests = 600
    /// Tool calls per window, by class: read-only tools, tools that change things, runs of scenarios.
    package var rateLimitReads = 300
    package var rateLimitWrites = 60
    package var rateLimitRuns = 30
    package var rateLimitWindow = Duration.seconds(60)
    /// Proxies in front of the gateway whose `X-Forwarded-For` entry is trusted to name the client; 0 trusts none.
    package var forwardedForHops = 0

    /// The Redis store's URL; nil selects the in-memory store.
    package var redisURL: Secret?
    package var redisKeyPrefix = "mcpgw:"
    package var redisPoolSize = 1
    package var redisTimeout = Duration.seconds(2)
    package var makeAPIURL = "https://eu1.make.com/api/v2"
    package var makeAPIToken: Secret?
    package var makeOAuthURL = "https://www.make.com/oauth/v2"
    package var makeClientID: String?
    package var makeClientSecret: Secret?
    package var tokenEncryptionKey: Secret?
    /// The id sealed into every value the current key seals, and older keys by id that still open theirs.
    package var tokenEncryptionKeyID = 1
    package var tokenPreviousKeys: [Int: Secret] = [:]
    package var gatewayTokenTTL = Duration.seconds(3600)
    package var gatewayRefreshTokenTTL = Duration.seconds(30 * 86_400)
    package var authValidationCacheTTL = Duration.seconds(5)
    package var oauthCodeTTL = Duration.seconds(60)
    package var oauthRefreshGrace = Duration.seconds(30)
    /// Whether OAuth clients may use a Client ID Metadata Document URL as their id (MCP 2025-11-25).
    package var clientMetadataDocuments = true
    /// Tests only: lets such documents come from http:// and local addresses.
    package var clientMetadataAllowLocal = false
    package var gatewayAPIKeys: [Secret] = []

    /// Which catalog tools sessions see unless their endpoint URL chooses: `default`, `all`, groups, tool names.
    package var makeTools = "default"
    /// The organization and team every session is confined to; nil leaves the choice to the session's URL.
    package var makeOrganizationID: Int64?
    package var makeTeamID: Int64?
    /// Whether active on-demand scenarios become tools.
    package var scenarioTools = true
    package var scenarioToolsRefresh = Duration.seconds(60)
    package var scenarioRunTimeout = Duration.seconds(300)
    package var scenarioPollInterval = Duration.seconds(2)
    /// Requests per minute per Make organization when its `license.apiLimit` cannot be read.
    package var makeRateLimit = 60
    package var makeRateLimitWait = Duration.seconds(10)
    package var makeTimeout = Duration.seconds(60)
    package var makeConnectTimeout = Duration.seconds(5)
    package var makeConnectionsPerHost = 16
    package var makeMaxResponseBytes = 16 * 1_048_576
    package var makeRetries = 3
    package var makeCircuitThreshold = 5
    package var makeCircuitOpenTime = Duration.seconds(30)
    /// How long cached Make reads live, by class; zero turns caching of that class off.
    package var makeCacheTTL = Duration.seconds(30)
    package var makeCacheTTLReference = Duration.seconds(3600)
    package var makeCacheTTLLive = Duration.seconds(5)
    /// Whether plain `http://` Make URLs are allowed: only for a loopback stand-in in tests.
    package var makeAllowHTTP = false
    /// Where spans are exported over OTLP/HTTP (`http://collector:4318`); nil turns export off.
    package var otlpEndpoint: String?

    package init() {}

    /// Whether `host` accepts connections from this machine only.
    package var isLoopbackHost: Bool {
        let lowered = host.lowercased()
        return lowered == "localhost" || lowered == "::1" || lowered.hasPrefix("127.")
    }

    /// The URL the gateway answers on, as clients see it, without a trailing slash.
    package var effectivePublicURL: String {
        if let publicURL {
            return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "http://\(hostPart):\(port)"
    }

    /// The path part of ``effectivePublicURL`` (`/make` for `https://host/make`), empty at the root. Paths the
    /// gateway tells clients about start with it, for deployments behind a path-prefix proxy.
    package var publicPathPrefix: String {
        let url = effectivePublicURL
        guard let schemeEnd = url.utf8.firstRange(of: "://".utf8) else { return "" }
        return String(url[schemeEnd.upperBound...].drop { $0 != "/" })
    }

    /// The HTTP server's share of the settings.
    package var httpServer: HTTPServerConfiguration {
        HTTPServerConfiguration(
            host: host,
            port: port,
            requestLimits: .init(maxRequestLineBytes: maxRequestLineBytes, maxHeaderBytes: maxHeaderBytes,
                                 maxHeaderCount: maxHeaderCount, maxBodyBytes: maxBodyBytes),
            maxConnections: maxConnections,
            headerTimeout: headerTimeout,
            bodyTimeout: bodyTimeout,
            idleTimeout: idleTimeout,
            writeTimeout: writeTimeout,
            streamBufferBytes: streamBufferBytes,
            drainTimeout: drainTimeout,
            eventLoopCount: eventLoops
        )
    }
}
