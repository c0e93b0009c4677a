/// Why a Make call failed, phrased so the person or model behind the call can act on it. Never contains a token.
package enum MakeClientError: Error, Equatable, CustomStringConvertible {
    /// Make answered with an error status; `message`, `code` and `suberrors` come from its error body.
    case api(status: Int, message: String, code: String?, suberrors: [String])
    /// The token was refused (401).
    case unauthorized(String)
    /// Make could not be reached or kept failing; `reason` says how.
    case unavailable(String)
    /// The zone's circuit is open after repeated failures.
    case circuitOpen(zone: String, retryAfter: Duration)
    /// The organization's outbound request budget stayed exhausted for longer than the gateway waits.
    case outboundRateLimited(retryAfter: Duration)

    package var description: String {
        switch self {
        case .api(let status, let message, let code, let suberrors):
            var text = "Make API error \(status)"
            if let code { text += " (\(code))" }
            text += ": \(message)"
            for suberror in suberrors { text += "\n - \(suberror)" }
            if let code, let hint = Self.hints[code] { text += "\n" + hint }
            return text
        case .unauthorized(let message):
            return "Make refused the credentials (401): \(message). Check the API token or sign in again."
        case .unavailable(let reason):
            return "Make is unavailable: \(reason). Try again later."
        case .circuitOpen(let zone, let retryAfter):
            return "Calls to \(zone) are paused after repeated failures; try again in \(retryAfter.wholeSeconds) s."
        case .outboundRateLimited(let retryAfter):
            return "The organization's Make API rate limit is used up; try again in \(retryAfter.wholeSeconds) s."
        }
    }
}

extension MakeClientError {
    /// What to do about the Make error codes a model can fix itself (make-api.md §3.2).
    static let hints: [String: String] = [
        "IM004": "Make asks for confirmation: call again with confirmed set to true if that is intended.",
        "IM016": "The scenario must be scheduled on-demand first (scheduling {\"type\": \"on-demand\"}).",
        "IM003": "The data store is full: delete records or raise its maxSizeMB.",
        "IM011": "The organization's limit for this kind of item is reached.",
    ]
}

extension Duration {
    /// Whole seconds rounded up, at least 1.
    var wholeSeconds: Int64 {
        let (seconds, attoseconds) = components
        return max(1, seconds + (attoseconds > 0 ? 1 : 0))
    }
}
