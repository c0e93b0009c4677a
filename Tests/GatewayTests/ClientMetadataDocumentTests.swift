import Foundation
import HTTPServer
import Synchronization
import TestSupport
import Testing

/// Client ID Metadata Documents as OAuth client ids (MCP 2025-11-25), and the guards on fetching them.
@Suite("Client ID Metadata Documents", .timeLimit(.minutes(2)))
struct ClientMetadataDocumentTests {
    /// `/client.json` describes a client whose id is that very URL; `/other.json` claims another id.
    static func document(for request: HTTPRequest) -> HTTPResponse {
        let host = request.headers["Host"] ?? "127.0.0.1"
        let url = "http://\(host)\(request.path)"
        let id = request.path == "/other.json" ? "http://\(host)/client.json" : url
        let body = #"{"client_id":"\#(id)","client_name":"Document Client","redirect_uris":["\#(OAuthFixture.redirectURI)"],"token_endpoint_auth_method":"none"}"#
        return .json(.ok, Array(body.utf8))
    }

    static let documents = ClosureHandler { document(for: $0) }

    @Test("a document URL works as a client id through the whole sign-in, its name on the consent page")
    func signInWithDocument() async throws {
        let oauth = try await OAuthFixture.launch(environment: ["CLIENT_METADATA_ALLOW_LOCAL": "on"])
        defer { oauth.stop() }
        let metadata = try await oauth.send("GET", oauth.issuer + "/.well-known/oauth-authorization-server").json
        #expect(metadata["client_id_metadata_document_supported"] as? Bool == true)
        try await withTestServer(handler: Self.documents) { _, port in
            let clientID = "http://127.0.0.1:\(port)/client.json"
            let page = try await oauth.send("GET", oauth.authorizeURL(clientID: clientID))
            #expect(page.status == 200)
            #expect(page.bodyText.contains("Document Client"))
            let code = try #require(try await oauth.consent(oauth.authorizeURL(clientID: clientID))["code"])
            let tokens = try await oauth.redeem(code, clientID: clientID)
            #expect(tokens.status == 200, "\(tokens.bodyText)")

            let impostor = try await oauth.send("GET", oauth.authorizeURL(
                clientID: "http://127.0.0.1:\(port)/other.json"))
            #expect(impostor.status == 400)
            #expect(impostor.bodyText.contains("not the URL it was fetched from"))
        }
    }

    @Test("no server-side request forgery: loopback and private addresses and plain http are refused before a fetch")
    func ssrfGuards() async throws {
        let oauth = try await OAuthFixture.launch()
        defer { oauth.stop() }
        let served = RequestCounter()
        try await withTestServer(handler: ClosureHandler { request in
            served.increment()
            return Self.document(for: request)
        }) { _, port in
            for clientID in ["https://127.0.0.1:\(port)/client.json", "https://localhost:\(port)/client.json",
                             "https://10.0.0.1/client.json", "https://169.254.169.254/latest/meta-data",
                             "http://127.0.0.1:\(port)/client.json", "https://[::1]:\(port)/client.json"] {
                let page = try await oauth.send("GET", oauth.authorizeURL(clientID: clientID))
                #expect(page.status == 400, "\(clientID)")
                #expect(page.header("Location") == nil)
            }
            let refused = try await oauth.send("GET", oauth.authorizeURL(clientID: "https://127.0.0.1:\(port)/c.json"))
            #expect(refused.bodyText.contains("loopback, private or link-local"))
        }
        #expect(served.value == 0)
    }
}

/// Counts requests a test server answered.
final class RequestCounter: Sendable {
    private let count = Mutex(0)

    func increment() { count.withLock { $0 += 1 } }

    var value: Int { count.withLock { $0 } }
}
