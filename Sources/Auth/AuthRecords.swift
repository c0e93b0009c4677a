internal import FoundationEssentials
package import Stores

/// A registered client (RFC 7591); the secret of a confidential one is kept only as its hash.
package struct ClientRegistration: Codable, Sendable, Equatable {
    package var clientID: String
    package var clientName: String?
    package var redirectURIs: [String]
    /// `none` for public clients, `client_secret_post` or `client_secret_basic` for confidential ones.
    package var tokenEndpointAuthMethod: String
    var secretHash: String?
    var issuedAt: Int64

    package var isPublic: Bool { tokenEndpointAuthMethod == "none" }
}

/// A sign-in between the consent page and Make's callback: the client's request, and the gateway's own PKCE
/// verifier for Make, sealed.
struct PendingSignIn: Codable, Sendable {
    var clientID: String
    var redirectURI: String
    var clientState: String?
    var codeChallenge: String
    var scopes: [String]
    var resource: String
    var sealedMakeVerifier: String?
}

/// The gateway's authorization code, bound to the request it answers and the user who signed in.
struct IssuedCode: Codable, Sendable {
    var clientID: String
    var redirectURI: String
    var codeChallenge: String
    var scopes: [String]
    var resource: String
    var user: String
}

/// One client's authorization by one user: its current refresh token, and the previous one during its grace.
struct Grant: Codable, Sendable {
    var grantID: String
    var user: String
    var clientID: String
    var scopes: [String]
    var resource: String
    var refreshHash: String
    var previousRefreshHash: String?
    /// Unix seconds until which the previous refresh token still works.
    var previousValidUntil: Double?
}

/// What an access token stands for; stored under the token's hash.
struct AccessTokenRecord: Codable, Sendable {
    var grantID: String
    var user: String
    var clientID: String
    var scopes: [String]
    var resource: String
}

/// A refresh token points at its grant; whether it is the grant's current one decides if it works.
struct RefreshTokenRecord: Codable, Sendable {
    var grantID: String
}

/// A user's Make tokens, sealed with the token key, and where their calls go.
struct MakeTokenRecord: Codable, Sendable {
    var sealedAccessToken: String
    var sealedRefreshToken: String?
    /// Unix seconds when the access token expires.
    var expiresAt: Double
    var baseURL: String
}

/// JSON records in a ``KeyValueStore``, with the store's failures as ``AuthError/temporarilyUnavailable(_:)``.
struct RecordStore: Sendable {
    let store: any KeyValueStore

    func get<Record: Decodable>(_ type: Record.Type, _ key: String) async throws(AuthError) -> Record? {
        let bytes: [UInt8]?
        do {
            bytes = try await store.value(for: key)
        } catch {
            throw .temporarilyUnavailable("the gateway's store is unavailable; try again shortly")
        }
        return bytes.flatMap { try? JSONDecoder().decode(Record.self, from: Data($0)) }
    }

    func put(_ record: some Encodable, _ key: String, ttl: Duration) async throws(AuthError) {
        guard let data = try? JSONEncoder().encode(record) else { throw .serverError("a record could not be encoded") }
        do {
            try await store.set([UInt8](data), for: key, ttl: ttl)
        } catch {
            throw .temporarilyUnavailable("the gateway's store is unavailable; try again shortly")
        }
    }

    /// Removes and returns the record: of several callers, only one gets it.
    func take<Record: Decodable>(_ type: Record.Type, _ key: String) async throws(AuthError) -> Record? {
        let bytes: [UInt8]?
        do {
            bytes = try await store.take(key)
        } catch {
            throw .temporarilyUnavailable("the gateway's store is unavailable; try again shortly")
        }
        return bytes.flatMap { try? JSONDecoder().decode(Record.self, from: Data($0)) }
    }

    func delete(_ key: String) async throws(AuthError) {
        do {
            try await store.delete(key)
        } catch {
            throw .temporarilyUnavailable("the gateway's store is unavailable; try again shortly")
        }
    }

    func claim(_ key: String, ttl: Duration) async throws(AuthError) -> Bool {
        do {
            return try await store.setIfAbsent([1], for: key, ttl: ttl)
        } catch {
            throw .temporarilyUnavailable("the gateway's store is unavailable; try again shortly")
        }
    }
}
