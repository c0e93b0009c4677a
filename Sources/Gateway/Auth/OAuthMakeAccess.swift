internal import Auth
internal import MCPProtocol
internal import MakeClient

/// OAuth mode: each session calls Make with its user's own Make token, refreshed as needed, against the zone of the
/// user's organization.
struct OAuthMakeAccess: MakeAccess {
    let vault: MakeTokenVault

    func context(for session: MCPSession) async throws(MakeAccessError) -> MakeCallContext {
        guard session.principal.hasPrefix("user:") else { throw .notSignedIn }
        let access: MakeTokenVault.Access
        do {
            access = try await vault.access(for: String(session.principal.dropFirst("user:".count)))
        } catch .invalidGrant(let reason) {
            throw .signInEnded(reason)
        } catch {
            throw .unavailable(error.message)
        }
        return MakeCallContext(baseURL: access.baseURL, authorization: MakeAuthorization(.oauth, token: access.accessToken),
                               identity: session.principal)
    }

    func identity(for session: MCPSession) -> String { session.principal }
}
