internal import Cryptography
internal import MCPProtocol
internal import MakeClient

/// Who a Make call is made as, and where.
struct MakeCallContext: Sendable {
    /// The zone's API base, such as `https://eu1.make.com/api/v2`.
    var baseURL: String
    var authorization: MakeAuthorization
    /// Whose cached data and directory the call may use: a user, or the static token's owner. Never the token.
    var identity: String
}

/// Why a session cannot call Make; phrased for the person using the client.
enum MakeAccessError: Error, Equatable, CustomStringConvertible {
    case notSignedIn
    /// The user's Make sign-in ended (Make refused to renew it): the client must sign in again.
    case signInEnded(String)
    case unavailable(String)

    var description: String {
        switch self {
        case .notSignedIn: "This session has no Make credentials; sign in to Make again."
        case .signInEnded(let reason): "The Make sign-in has ended (\(reason)). Sign in again to go on."
        case .unavailable(let reason): "Make credentials cannot be read right now: \(reason). Try again shortly."
        }
    }
}

/// Finds the credentials a session's calls use.
protocol MakeAccess: Sendable {
    func context(for session: MCPSession) async throws(MakeAccessError) -> MakeCallContext

    /// The ``MakeCallContext/identity`` the session's calls will have, known without a lookup.
    func identity(for session: MCPSession) -> String
}

/// Static-token mode: every call uses the one API token from `MAKE_API_TOKEN` against `MAKE_API_URL`.
struct StaticTokenAccess: MakeAccess {
    private let callContext: MakeCallContext

    init(baseURL: String, token: Secret) throws(CryptoError) {
        // The cache identity names the token by a digest, so a new token never sees the old one's cache.
        let digest = try SHA256.hexDigest(Array(token.revealedValue.utf8)).prefix(16)
        callContext = MakeCallContext(baseURL: baseURL, authorization: MakeAuthorization(.apiToken, token: token.revealedValue),
                                      identity: "token:\(digest)")
    }

    func context(for session: MCPSession) async throws(MakeAccessError) -> MakeCallContext { callContext }

    func identity(for session: MCPSession) -> String { callContext.identity }
}
