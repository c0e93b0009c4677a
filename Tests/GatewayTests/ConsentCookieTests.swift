import Foundation
import TestSupport
import Testing

/// The cookie that binds a consent decision to the browser shown the page, on the wire.
@Suite("Consent cookie", .timeLimit(.minutes(1)))
struct ConsentCookieTests {
    @Test("each consent page sets its own cookie; the decision clears it with a single Max-Age=0")
    func cookiePerSignIn() async throws {
        let fixture = try await OAuthFixture.launch()
        defer { fixture.stop() }
        let clientID = try #require(try await fixture.register()["client_id"] as? String)
        let first = try await fixture.send("GET", fixture.authorizeURL(clientID: clientID))
        let second = try await fixture.send("GET", fixture.authorizeURL(clientID: clientID))
        let firstCookie = try #require(first.header("Set-Cookie"))
        let secondCookie = try #require(second.header("Set-Cookie"))
        func name(_ cookie: String) -> Substring { cookie.prefix { $0 != "=" } }
        #expect(name(firstCookie).hasPrefix("mcpgw_consent_"))
        #expect(name(firstCookie) != name(secondCookie))

        // The first page's decision, after the second page was shown, with both cookies as a browser sends them.
        let transaction = try #require(first.bodyText.firstMatch(of: /name="transaction" value="([^"]+)"/)?.1)
        let cookies = [firstCookie, secondCookie].compactMap { $0.split(separator: ";").first }.joined(separator: "; ")
        let decision = try await fixture.send(
            "POST", fixture.issuer + "/authorize",
            body: OAuthFixture.form(["transaction": String(transaction), "decision": "approve"]),
            headers: ["Cookie": cookies])
        #expect(decision.status == 302, "\(decision.bodyText)")
        let cleared = try #require(decision.header("Set-Cookie"))
        #expect(cleared.hasPrefix("\(name(firstCookie))=;"), "\(cleared)")
        #expect(cleared.ranges(of: "Max-Age").count == 1 && cleared.contains("Max-Age=0"), "\(cleared)")
    }
}
