import Foundation
import TestSupport
import Testing

/// The consent page as a person sees it: rendered by headless Chromium (Debian's `chromium`, driven by Selenium
/// through `chromium-driver`), its screenshot read back by Tesseract OCR, and its buttons clicked. `make test`
/// installs all three.
@Suite("Consent page in headless Chromium", .timeLimit(.minutes(3)))
struct ConsentPageBrowserTests {
    static let script = GatewayProcess.packageRoot.appendingPathComponent("Tests/interop/consent_browser.py").path

    @Test("the screenshot shows the client; approve brings a code, deny access_denied; two open tabs both work")
    func consentInChromium() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: PythonSDKInteropTests.python),
            "the test venv is missing; `make test` creates it")
        for program in ["/usr/bin/chromium", "/usr/bin/chromedriver", "/usr/bin/tesseract"] {
            try #require(
                FileManager.default.isExecutableFile(atPath: program), "\(program) is missing; `make test` installs it")
        }
        let fixture = try await OAuthFixture.launch()
        defer { fixture.stop() }
        let screenshot = FileManager.default.temporaryDirectory.appendingPathComponent(
            "consent-\(UUID().uuidString).png")
        // Chromium and chromedriver write their profile and crash files under HOME.
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: screenshot)
            try? FileManager.default.removeItem(at: home)
        }
        let (status, output) = try await GatewayProcess.runProgram(
            PythonSDKInteropTests.python, arguments: ["-W", "ignore", Self.script, fixture.issuer, screenshot.path],
            environment: ["HOME": home.path, "SE_OFFLINE": "true", "SE_AVOID_STATS": "true"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("all checks passed"), "\(output)")

        // The three approvals went through Make's authorize endpoint (the stand-in) and the gateway's callback; the
        // denial did not.
        let standIn = try await fixture.standIn.recentRequests()
        #expect(standIn.filter { $0.hasPrefix("GET /oauth/v2/authorize - 302") }.count == 3, "\(standIn)")
        let served = try await fixture.gateway.servedRequests()
        #expect(served.filter { $0 == "GET /oauth/callback" }.count == 3, "\(served)")
        #expect(served.filter { $0 == "POST /authorize" }.count == 4, "\(served)")
    }
}
