import Foundation
import TestSupport
import Testing

/// Gateway replicas in OAuth mode sharing a real redis-server behind a real nginx (``Fleet``), in front of a fresh
/// Make stand-in that plays Make's authorization server for the gateway's client (`standin-client`). `PUBLIC_URL` is
/// nginx's URL, so its port is picked before anything starts; the stand-in accepts the gateway's callback because it
/// is on 127.0.0.1.
struct OAuthFleet {
    let standIn: StandInProcess
    let fleet: Fleet
    let publicURL: String

    var replicas: [GatewayProcess] { fleet.replicas }

    static func start(replicaCount: Int = 2) async throws -> OAuthFleet {
        let standIn = try await StandInProcess.launch()
        let port = try RedisServer.freePort()
        let publicURL = "http://127.0.0.1:\(port)"
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let environment = [
            "MAKE_CLIENT_ID": "standin-client", "MAKE_CLIENT_SECRET": "standin-secret", "TOKEN_ENCRYPTION_KEY": key,
            "MAKE_API_URL": "http://127.0.0.1:\(standIn.port)/api/v2",
            "MAKE_OAUTH_URL": "http://127.0.0.1:\(standIn.port)/oauth/v2", "MAKE_ALLOW_HTTP": "on",
            "PUBLIC_URL": publicURL, "LOG_LEVEL": "info",
        ]
        do {
            let fleet = try await Fleet.start(replicaCount: replicaCount, environment: environment, nginxPort: port)
            return OAuthFleet(standIn: standIn, fleet: fleet, publicURL: publicURL)
        } catch {
            standIn.kill()
            throw error
        }
    }

    /// Kills every process by PID; for a `defer`.
    func stop() {
        fleet.stop()
        standIn.kill()
    }
}
