/// One answered request, as the server's exchange observer sees it: what metrics count, without the request id or
/// the query string.
package struct HTTPExchange: Sendable {
    /// Nil when the request could not be parsed far enough to have one.
    package var method: HTTPMethod?
    package var path: String
    package var status: Int
    /// From the request's first byte to its answer; for a stream, to its end.
    package var durationNanoseconds: UInt64
    /// Whether the answer was a stream (SSE), whose duration is how long it was open, not a latency.
    package var isStream: Bool
}
