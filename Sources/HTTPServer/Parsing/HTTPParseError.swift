/// Why a request could not be parsed. Each case is answered with one status and the connection is then closed,
/// because after a framing error the position of the next request in the byte stream is unknown.
package enum HTTPParseError: Error, Equatable, CustomStringConvertible {
    case requestLineTooLong(limit: Int)
    case headersTooLarge(limit: Int)
    case tooManyHeaders(limit: Int)
    case bodyTooLarge(limit: Int)
    case malformedRequestLine
    case malformedHeader
    case missingHost
    case invalidContentLength
    case conflictingFraming
    case malformedChunk
    case unsupportedVersion
    case unsupportedTransferEncoding

    package var description: String {
        switch self {
        case .requestLineTooLong(let limit): "request line exceeds \(limit) bytes"
        case .headersTooLarge(let limit): "request headers exceed \(limit) bytes"
        case .tooManyHeaders(let limit): "request has more than \(limit) header fields"
        case .bodyTooLarge(let limit): "request body exceeds \(limit) bytes"
        case .malformedRequestLine: "request line is not 'METHOD target HTTP/1.x'"
        case .malformedHeader: "a header field is malformed"
        case .missingHost: "HTTP/1.1 request needs exactly one Host header"
        case .invalidContentLength: "Content-Length is not a single non-negative integer"
        case .conflictingFraming: "request has both Content-Length and Transfer-Encoding"
        case .malformedChunk: "chunked request body is malformed"
        case .unsupportedVersion: "only HTTP/1.0 and HTTP/1.1 are supported"
        case .unsupportedTransferEncoding: "only the chunked transfer coding is supported"
        }
    }
}
