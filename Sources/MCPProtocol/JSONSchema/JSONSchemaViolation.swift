/// One way an instance fails its schema, phrased for the model that wrote the arguments, so it can correct them:
/// `limit: must be at most 10000 (got 20000)`.
package struct JSONSchemaViolation: Hashable, Sendable {
    /// Where in the instance, in dotted form: `teamId`, `filters[2].name`, `["odd key"]`; empty for the instance
    /// itself.
    package var path: String
    /// The schema keyword that failed (`required`, `type`, `maximum`, …), for callers that group or count.
    package var keyword: String
    /// The rule in words, without the path.
    package var message: String

    /// A violation at `path` of the rule `keyword`.
    package init(path: String, keyword: String, message: String) {
        self.path = path
        self.keyword = keyword
        self.message = message
    }
}

// MARK: - CustomStringConvertible

extension JSONSchemaViolation: CustomStringConvertible {
    /// `path: message`, or just the message for the instance itself.
    package var description: String {
        path.isEmpty ? message : "\(path): \(message)"
    }
}
