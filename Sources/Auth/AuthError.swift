/// Why an authorization request, a token request or a sign-in failed, in the terms of RFC 6749 §4.1.2.1 and §5.2
/// (plus RFC 8707's `invalid_target`), with a description a developer can act on. Never contains a token or secret.
package enum AuthError: Error, Equatable, CustomStringConvertible {
    case invalidRequest(String)
    /// An unknown client, or a confidential client whose secret does not match: 401 at the token endpoint.
    case invalidClient(String)
    case invalidGrant(String)
    case unauthorizedClient(String)
    case unsupportedGrantType(String)
    case unsupportedResponseType(String)
    case invalidScope(String)
    case invalidTarget(String)
    case invalidRedirectURI(String)
    case invalidClientMetadata(String)
    case accessDenied(String)
    case serverError(String)
    case temporarilyUnavailable(String)

    /// The `error` code.
    package var code: String {
        switch self {
        case .invalidRequest: "invalid_request"
        case .invalidClient: "invalid_client"
        case .invalidGrant: "invalid_grant"
        case .unauthorizedClient: "unauthorized_client"
        case .unsupportedGrantType: "unsupported_grant_type"
        case .unsupportedResponseType: "unsupported_response_type"
        case .invalidScope: "invalid_scope"
        case .invalidTarget: "invalid_target"
        case .invalidRedirectURI: "invalid_redirect_uri"
        case .invalidClientMetadata: "invalid_client_metadata"
        case .accessDenied: "access_denied"
        case .serverError: "server_error"
        case .temporarilyUnavailable: "temporarily_unavailable"
        }
    }

    /// The `error_description`.
    package var message: String {
        switch self {
        case .invalidRequest(let text), .invalidClient(let text), .invalidGrant(let text),
             .unauthorizedClient(let text), .unsupportedGrantType(let text), .unsupportedResponseType(let text),
             .invalidScope(let text), .invalidTarget(let text), .invalidRedirectURI(let text),
             .invalidClientMetadata(let text), .accessDenied(let text), .serverError(let text),
             .temporarilyUnavailable(let text):
            text
        }
    }

    package var description: String { "\(code): \(message)" }
}
