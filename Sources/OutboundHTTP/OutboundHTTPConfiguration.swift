/// How the outbound client behaves; every value has a safe default.
package struct OutboundHTTPConfiguration: Sendable {
    package var connectTimeout: Duration
    /// The whole transfer, from connecting to the last byte.
    package var totalTimeout: Duration
    /// Connections kept per host, shared by all requests (curl reuses them).
    package var maxConnectionsPerHost: Int
    /// A larger response body is cut off with ``OutboundHTTPError/responseTooLarge(limit:)``.
    package var maxResponseBytes: Int
    /// Whether plain `http://` is allowed besides `https://`: only for a loopback stand-in in tests.
    package var allowsPlainHTTP: Bool
    package var userAgent: String

    package init(
        connectTimeout: Duration = .seconds(5), totalTimeout: Duration = .seconds(60), maxConnectionsPerHost: Int = 16,
        maxResponseBytes: Int = 16 * 1024 * 1024, allowsPlainHTTP: Bool = false,
        userAgent: String = "make-mcp-gateway"
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxConnectionsPerHost = maxConnectionsPerHost
        self.maxResponseBytes = maxResponseBytes
        self.allowsPlainHTTP = allowsPlainHTTP
        self.userAgent = userAgent
    }
}

/// One outbound request.
package struct OutboundRequest: Sendable {
    package var method: String
    package var url: String
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]?
    /// Overrides the configured total timeout for this request.
    package var timeout: Duration?
    /// Overrides the configured response size cap for this request.
    package var maxResponseBytes: Int?
    /// Refuses to connect to loopback, link-local, private and other non-public addresses, checked on the address
    /// curl actually connects to (so a DNS answer that changes between a check and the connection cannot slip
    /// through): for URLs that someone else chose, such as an OAuth client's metadata document.
    package var refusesNonPublicAddresses: Bool

    package init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [],
                 body: [UInt8]? = nil, timeout: Duration? = nil, maxResponseBytes: Int? = nil,
                 refusesNonPublicAddresses: Bool = false) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
        self.refusesNonPublicAddresses = refusesNonPublicAddresses
    }
}

/// A response as received (decompressed when the server compressed it).
package struct OutboundResponse: Sendable {
    package var status: Int
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]

    package init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, matched case-insensitively.
    package func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }
}

/// Why an outbound request failed before a response arrived.
package enum OutboundHTTPError: Error, Equatable, CustomStringConvertible {
    case invalidURL(String)
    case protocolNotAllowed(String)
    case connectionFailed(String)
    case timedOut
    case tlsFailed(String)
    case responseTooLarge(limit: Int)
    case cancelled
    case failed(String)
    /// The host resolved to an address the request may not reach (``OutboundRequest/refusesNonPublicAddresses``).
    case addressNotAllowed

    package var description: String {
        switch self {
        case .invalidURL(let url): "invalid URL \(url)"
        case .protocolNotAllowed(let url): "only https is allowed for outbound requests: \(url)"
        case .connectionFailed(let reason): "connection failed: \(reason)"
        case .timedOut: "the request timed out"
        case .tlsFailed(let reason): "TLS failed: \(reason)"
        case .responseTooLarge(let limit): "the response exceeds \(limit) bytes"
        case .cancelled: "the request was cancelled"
        case .failed(let reason): "the request failed: \(reason)"
        case .addressNotAllowed: "the host resolves to a loopback, private or link-local address, which is not allowed here"
        }
    }

    /// Whether retrying the same request may succeed: connection failures and timeouts.
    package var isTransient: Bool {
        switch self {
        case .connectionFailed, .timedOut: true
        default: false
        }
    }
}
