internal import Cryptography
internal import FoundationEssentials
package import MakeClient

/// Each user's Make tokens, sealed with AES-256-GCM under the token key ring (the key id travels with each value, so
/// keys rotate), refreshed with Make's refresh token shortly before they expire, one refresh at a time across every
/// replica. Make tokens never leave the gateway.
package struct MakeTokenVault: Sendable {
    let records: RecordStore
    let keys: KeyRing
    let oauth: MakeOAuthClient
    let refreshMargin: Duration
    /// How long a user's Make tokens are kept: as long as Make's refresh token lives (make-api.md §2.2: 6 months).
    let ttl: Duration = .seconds(180 * 86_400)

    /// The credentials a user's calls use now.
    package struct Access: Sendable {
        package var accessToken: String
        package var baseURL: String
    }

    static func key(_ user: String) -> String { "make:\(user)" }
    static func lockKey(_ user: String) -> String { "makelock:\(user)" }

    func store(_ tokens: MakeOAuthClient.Tokens, user: String, baseURL: String) async throws(AuthError) {
        let record = MakeTokenRecord(
            sealedAccessToken: try seal(tokens.accessToken, user: user),
            sealedRefreshToken: try tokens.refreshToken.map { token throws(AuthError) in try seal(token, user: user) },
            expiresAt: Date().timeIntervalSince1970 + Double(tokens.expiresIn), baseURL: baseURL)
        try await records.put(record, Self.key(user), ttl: ttl)
    }

    /// Whether the user has Make tokens at all (signed in, and Make has not refused a refresh since).
    func isSignedIn(_ user: String) async throws(AuthError) -> Bool {
        try await records.get(MakeTokenRecord.self, Self.key(user)) != nil
    }

    /// The user's Make access token, refreshed first when it is about to expire.
    ///
    /// - Throws: ``AuthError/invalidGrant(_:)`` when the user must sign in again (no tokens, or Make refused the
    ///   refresh, in which case the tokens are forgotten).
    package func access(for user: String) async throws(AuthError) -> Access {
        for _ in 0..<50 {
            guard let record = try await records.get(MakeTokenRecord.self, Self.key(user)) else {
                throw .invalidGrant("no Make sign-in is on record for this user; sign in again")
            }
            let remaining = record.expiresAt - Date().timeIntervalSince1970
            if remaining > Double(refreshMargin.components.seconds) {
                return Access(accessToken: try open(record.sealedAccessToken, user: user), baseURL: record.baseURL)
            }
            guard let sealedRefresh = record.sealedRefreshToken else {
                guard remaining > 0 else {
                    throw .invalidGrant("the Make sign-in expired and Make gave no refresh token; sign in again")
                }
                return Access(accessToken: try open(record.sealedAccessToken, user: user), baseURL: record.baseURL)
            }
            // One replica refreshes; the others wait for the new tokens rather than spend the refresh token twice.
            if try await records.claim(Self.lockKey(user), ttl: .seconds(30)) {
                let outcome: Result<Access, AuthError>
                do {
                    outcome = .success(try await refresh(user: user, sealedRefresh: sealedRefresh,
                                                         baseURL: record.baseURL))
                } catch {
                    outcome = .failure(error)
                }
                try? await records.delete(Self.lockKey(user))
                return try outcome.get()
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        throw .temporarilyUnavailable("another replica's refresh of the Make sign-in did not finish; try again")
    }

    private func refresh(user: String, sealedRefresh: String, baseURL: String) async throws(AuthError) -> Access {
        let refreshToken = try open(sealedRefresh, user: user)
        let tokens: MakeOAuthClient.Tokens
        do {
            tokens = try await oauth.refresh(refreshToken: refreshToken)
        } catch .refused(let error, _) {
            try? await records.delete(Self.key(user))
            throw .invalidGrant("Make refused to renew the sign-in (\(error)); sign in to Make again")
        } catch {
            throw .temporarilyUnavailable("\(error)")
        }
        // Make may or may not rotate its refresh token; keep the old one when it sends none.
        var kept = tokens
        if kept.refreshToken == nil { kept.refreshToken = refreshToken }
        try await store(kept, user: user, baseURL: baseURL)
        return Access(accessToken: tokens.accessToken, baseURL: baseURL)
    }

    /// Revokes the user's Make grant at Make and forgets the tokens.
    func revoke(user: String) async {
        guard let record = try? await records.get(MakeTokenRecord.self, Self.key(user)) else { return }
        // Revoking the refresh token ends Make's whole grant; without one, the access token is all there is.
        if let token = try? open(record.sealedRefreshToken ?? record.sealedAccessToken, user: user) {
            try? await oauth.revoke(token: token)
        }
        try? await records.delete(Self.key(user))
    }

    /// Sealed with the user as associated data, so a sealed token moved to another user's record does not open.
    private func seal(_ token: String, user: String) throws(AuthError) -> String {
        do {
            return try keys.seal(Array(token.utf8), associatedData: Array(user.utf8)).base64URLEncoded
        } catch {
            throw .serverError("a Make token could not be sealed")
        }
    }

    private func open(_ sealed: String, user: String) throws(AuthError) -> String {
        do {
            let bytes = try keys.open(try SealedToken(base64URLEncoded: sealed), associatedData: Array(user.utf8))
            return String(decoding: bytes, as: UTF8.self)
        } catch {
            throw .invalidGrant("the stored Make sign-in cannot be opened with the current keys; sign in again")
        }
    }
}
