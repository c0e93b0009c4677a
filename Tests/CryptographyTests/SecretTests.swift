import Cryptography
import Testing

struct SecretTests {
    static let password = "hunter2-correct-horse"

    @Test("description, interpolation and String(describing:) are redacted")
    func textualForms_AreRedacted() {
        let secret = Secret(Self.password)
        #expect(secret.description == "<redacted>")
        #expect(String(describing: secret) == "<redacted>")
        #expect("token=\(secret)" == "token=<redacted>")
    }

    @Test("debugDescription, String(reflecting:) and containers are redacted")
    func debugForms_AreRedacted() {
        let secret = Secret(Self.password)
        let optional: Secret? = secret
        #expect(secret.debugDescription == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        #expect("\([secret])" == "[<redacted>]")
        #expect(String(describing: optional) == "Optional(<redacted>)")
    }

    @Test("dump and Mirror never reach the value")
    func dumpAndMirror_AreRedacted() {
        let secret = Secret(Self.password)
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(dumped == "- <redacted>\n")
        #expect(Mirror(reflecting: secret).children.isEmpty)
        var dumpedArray = ""
        dump([secret], to: &dumpedArray)
        #expect(!dumpedArray.contains("hunter2"))
    }

    @Test("the value is reachable through revealedValue")
    func revealedValue_IsTheValue() {
        #expect(Secret(Self.password).revealedValue == Self.password)
    }

    @Test(
        "matches compares the whole value",
        arguments: [
            ("hunter2-correct-horse", true), ("hunter2", false),
            ("hunter2-correct-horsf", false), ("", false), ("hunter2-correct-horse ", false),
        ])
    func matches_ComparesWholeValue(candidate: String, isMatch: Bool) {
        #expect(Secret(Self.password).matches(candidate) == isMatch)
    }
}
