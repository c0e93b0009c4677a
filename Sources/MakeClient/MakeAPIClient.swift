internal import FoundationEssentials
package import OutboundHTTP
internal import Synchronization

/// Calls the Make API: builds the URL for a zone, sends the credentials, retries what may be retried, keeps a circuit
/// breaker per zone and stays within each organization's outbound rate limit. Error bodies become
/// ``MakeClientError``s a person can act on.
package final class MakeAPIClient: Sendable {
    private let http: HTTPClient
    package let configuration: MakeAPIClientConfiguration
    private let limiter: (any MakeOutboundLimiter)?
    private let breakers = Mutex<[String: CircuitBreaker]>([:])
    private let counters = Mutex<Counters>(Counters())

    /// What happened since start, for `/metrics`.
    package struct Counters: Sendable, Equatable {
        package var requests = 0
        package var retries = 0
        package var failures = 0
    }

    /// What happened to one call, for metrics; never the URL's ids or the credentials.
    package enum Event: Sendable {
        /// An attempt got an answer (`status`) or none (0), after `seconds`; `endpoint` is the path template.
        case attempt(endpoint: String, status: Int, seconds: Double)
        case retry
        /// The organization's outbound budget stayed exhausted; the call failed without reaching Make.
        case outboundRejected
    }

    private let observe: @Sendable (Event) -> Void

    package init(http: HTTPClient, configuration: MakeAPIClientConfiguration = .init(),
                 limiter: (any MakeOutboundLimiter)? = nil, observe: @escaping @Sendable (Event) -> Void = { _ in }) {
        self.http = http
        self.configuration = configuration
        self.limiter = limiter
        self.observe = observe
    }

    /// A request path as a template for metrics labels: numeric and 32-hex segments become `{id}`
    /// (`/scenarios/42/executions/9f…` → `/scenarios/{id}/executions/{id}`); custom-app names stay, being few.
    package static func endpointTemplate(_ path: String) -> String {
        "/" + path.split(separator: "/").map { segment -> String in
            let isNumber = segment.allSatisfy(\.isNumber)
            let isHexID = segment.count == 32 && segment.allSatisfy(\.isHexDigit)
            let isUUID = segment.count == 36 && segment.filter({ $0 == "-" }).count == 4
            return isNumber || isHexID || isUUID ? "{id}" : String(segment)
        }.joined(separator: "/")
    }

    package var statistics: Counters { counters.withLock { $0 } }

    /// Each zone's circuit state, for `/metrics` and readiness.
    package var circuitStates: [String: CircuitBreaker.State] {
        breakers.withLock { $0.mapValues(\.state) }
    }

    /// Sends `request` to `baseURL` (such as `https://eu1.make.com/api/v2`) as `authorization`.
    ///
    /// - Parameter organization: Whose outbound budget the call counts against; nil skips the outbound limit.
    package func send(
        _ request: MakeRequest, baseURL: String, authorization: MakeAuthorization, organization: String?
    ) async throws(MakeClientError) -> MakeResponse {
        let zone = Self.zone(of: baseURL)
        var attempt = 0
        while true {
            try checkCircuit(zone: zone)
            if let organization, let limiter { try await waitForBudget(organization: organization, limiter: limiter) }
            counters.withLock { $0.requests += 1 }
            let started = ContinuousClock.now
            let outcome = await attemptOnce(request, baseURL: baseURL, authorization: authorization)
            let seconds = started.duration(to: .now)
            let status = switch outcome {
                case .success(let response): response.status
                case .failure(let failure): failure.status
                }
            observe(.attempt(endpoint: Self.endpointTemplate(request.path), status: status,
                             seconds: Double(seconds.components.seconds) + Double(seconds.components.attoseconds) / 1e18))
            switch outcome {
            case .success(let response):
                recordCircuit(zone: zone, failed: false)
                return response
            case .failure(let failure):
                recordCircuit(zone: zone, failed: failure.countsAgainstCircuit)
                guard request.isIdempotent, failure.isRetryable, attempt < configuration.maxRetries else {
                    counters.withLock { $0.failures += 1 }
                    throw failure.error
                }
                attempt += 1
                counters.withLock { $0.retries += 1 }
                observe(.retry)
                let delay = failure.retryAfter.map { min($0, configuration.maxRetryDelay) } ?? backoff(attempt: attempt)
                do {
                    try await Task.sleep(for: delay)
                } catch {
                    throw .unavailable("the call was cancelled while waiting to retry")
                }
            }
        }
    }

    /// One failed attempt, and what it means for retries and the circuit.
    private struct Failure: Error {
        var error: MakeClientError
        var isRetryable: Bool
        var countsAgainstCircuit: Bool
        var retryAfter: Duration?
        /// Make's status, or 0 when no answer came.
        var status = 0
    }


    private func attemptOnce(
        _ request: MakeRequest, baseURL: String, authorization: MakeAuthorization
    ) async -> Result<MakeResponse, Failure> {
        var url = baseURL + request.path
        if !request.query.isEmpty { url += "?" + request.queryString }
        var headers: [(name: String, value: String)] = [("Authorization", authorization.headerValue),
                                                        ("Accept", "application/json")]
        if let contentType = request.contentType { headers.append(("Content-Type", contentType)) }
        headers += request.headers
        let response: OutboundResponse
        do {
            response = try await http.send(OutboundRequest(method: request.method, url: url, headers: headers,
                                                           body: request.body))
        } catch {
            let isZoneFault =
                switch error {
                case .connectionFailed, .timedOut, .tlsFailed, .failed: true
                case .cancelled, .responseTooLarge, .invalidURL, .protocolNotAllowed, .addressNotAllowed: false
                }
            return .failure(Failure(error: .unavailable(error.description), isRetryable: error.isTransient,
                                    countsAgainstCircuit: isZoneFault, retryAfter: nil))
        }
        let contentType = response.header("Content-Type")
        guard response.status >= 400 else {
            return .success(MakeResponse(status: response.status, body: response.body, contentType: contentType))
        }
        let (message, code, suberrors) = Self.errorDetails(response)
        let error: MakeClientError =
            response.status == 401 ? .unauthorized(message)
            : .api(status: response.status, message: message, code: code, suberrors: suberrors)
        let retryable = [429, 502, 503, 504].contains(response.status)
        return .failure(Failure(error: error, isRetryable: retryable, countsAgainstCircuit: response.status >= 500,
                                retryAfter: response.header("Retry-After").flatMap(Self.retryAfter),
                                status: response.status))
    }

    /// Make's error body: `detail` (if a string) or `message`, its `code`, and each `suberrors[].message`; the status
    /// text when the body says nothing usable (make-catalog.md §2, "Errors").
    static func errorDetails(_ response: OutboundResponse) -> (String, String?, [String]) {
        struct Body: Decodable {
            struct Suberror: Decodable { var message: String? }
            var detail: String?
            var message: String?
            var code: String?
            var suberrors: [Suberror]?

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                detail = try? container.decode(String.self, forKey: .detail)
                message = try? container.decode(String.self, forKey: .message)
                code = try? container.decode(String.self, forKey: .code)
                suberrors = try? container.decode([Suberror].self, forKey: .suberrors)
            }

            enum CodingKeys: String, CodingKey { case detail, message, code, suberrors }
        }
        let body = try? JSONDecoder().decode(Body.self, from: Data(response.body))
        let message = body?.detail ?? body?.message ?? "HTTP status \(response.status)"
        return (message, body?.code, body?.suberrors?.compactMap(\.message) ?? [])
    }

    /// `Retry-After` in seconds (the form Make uses); dates are not worth a parser here and count as absent.
    static func retryAfter(_ value: String) -> Duration? {
        guard let seconds = Int(value.filter { $0 != " " }), seconds >= 0 else { return nil }
        return .seconds(seconds)
    }

    private func backoff(attempt: Int) -> Duration {
        let exponential = configuration.baseRetryDelay * (1 << min(attempt - 1, 20))
        let capped = min(exponential, configuration.maxRetryDelay)
        // ±20 % jitter, so replicas that failed together do not retry together.
        return capped * Double.random(in: 0.8...1.2)
    }

    private func waitForBudget(organization: String, limiter: any MakeOutboundLimiter) async throws(MakeClientError) {
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.maxRateLimitWait
        while let wait = await limiter.reserve(organization: organization) {
            guard clock.now + wait <= deadline else {
                observe(.outboundRejected)
                throw .outboundRateLimited(retryAfter: wait)
            }
            do {
                try await Task.sleep(for: wait)
            } catch {
                throw .unavailable("the call was cancelled while waiting for the rate limit")
            }
        }
    }

    // MARK: - Circuit breaker

    private func checkCircuit(zone: String) throws(MakeClientError) {
        let threshold = configuration.circuitFailureThreshold
        let openFor = configuration.circuitOpenDuration
        let refusal = breakers.withLock { breakers -> Duration? in
            var breaker = breakers[zone] ?? CircuitBreaker(threshold: threshold, openDuration: openFor)
            defer { breakers[zone] = breaker }
            return breaker.admit(now: .now)
        }
        if let refusal { throw .circuitOpen(zone: zone, retryAfter: refusal) }
    }

    private func recordCircuit(zone: String, failed: Bool) {
        breakers.withLock { breakers in
            breakers[zone]?.record(failed: failed, now: .now)
        }
    }

    /// The host of a base URL: circuits are per zone.
    static func zone(of baseURL: String) -> String {
        let afterScheme = baseURL.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first
        return afterScheme.map(String.init) ?? baseURL
    }
}
