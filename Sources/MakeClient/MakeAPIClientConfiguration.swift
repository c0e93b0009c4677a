/// How the Make client retries, breaks circuits and waits for the outbound rate limit.
package struct MakeAPIClientConfiguration: Sendable {
    /// Extra attempts after the first, for idempotent calls that failed transiently (429, 502, 503, 504, network).
    package var maxRetries: Int
    /// The first retry's delay; each further one doubles, with ±20 % jitter, up to ``maxRetryDelay``.
    package var baseRetryDelay: Duration
    package var maxRetryDelay: Duration
    /// Consecutive failures (5xx, timeouts, network) after which a zone's circuit opens.
    package var circuitFailureThreshold: Int
    /// How long an open circuit refuses calls before it lets one probe through.
    package var circuitOpenDuration: Duration
    /// The longest a call waits for room in its organization's outbound rate limit before it fails.
    package var maxRateLimitWait: Duration

    package init(maxRetries: Int = 3, baseRetryDelay: Duration = .milliseconds(250), maxRetryDelay: Duration = .seconds(10),
                 circuitFailureThreshold: Int = 5, circuitOpenDuration: Duration = .seconds(30),
                 maxRateLimitWait: Duration = .seconds(10)) {
        self.maxRetries = maxRetries
        self.baseRetryDelay = baseRetryDelay
        self.maxRetryDelay = maxRetryDelay
        self.circuitFailureThreshold = circuitFailureThreshold
        self.circuitOpenDuration = circuitOpenDuration
        self.maxRateLimitWait = maxRateLimitWait
    }
}

/// Who calls Make: an API token (`Authorization: Token …`) or an OAuth access token (`Bearer …`).
/// Its textual forms never show the token.
package struct MakeAuthorization: Sendable, CustomStringConvertible {
    package enum Kind: Sendable {
        case apiToken
        case oauth
    }

    package let kind: Kind
    private let token: String

    package init(_ kind: Kind, token: String) {
        self.kind = kind
        self.token = token
    }

    var headerValue: String {
        switch kind {
        case .apiToken: "Token \(token)"
        case .oauth: "Bearer \(token)"
        }
    }

    package var description: String { kind == .apiToken ? "Token <redacted>" : "Bearer <redacted>" }
}

/// Room in an organization's outbound request budget, shared by every replica (a Redis window in production).
package protocol MakeOutboundLimiter: Sendable {
    /// Takes one request from `organization`'s budget; nil when granted, else how long until there is room.
    func reserve(organization: String) async -> Duration?
}
