extension HTTPParseError {
    /// The one answer each parse failure gets; the connection closes after it.
    var response: HTTPResponse {
        switch self {
        case .requestLineTooLong:
            .error(.uriTooLong, code: "uri_too_long", message: description)
        case .headersTooLarge, .tooManyHeaders:
            .error(.requestHeaderFieldsTooLarge, code: "request_header_fields_too_large", message: description)
        case .bodyTooLarge:
            .error(.payloadTooLarge, code: "payload_too_large", message: description)
        case .unsupportedVersion:
            .error(.httpVersionNotSupported, code: "http_version_not_supported", message: description)
        case .unsupportedTransferEncoding:
            .error(.notImplemented, code: "not_implemented", message: description)
        case .malformedRequestLine, .malformedHeader, .missingHost, .invalidContentLength, .conflictingFraming,
             .malformedChunk:
            .error(.badRequest, code: "bad_request", message: description)
        }
    }
}
