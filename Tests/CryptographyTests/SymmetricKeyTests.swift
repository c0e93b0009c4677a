import Cryptography
import Testing

struct SymmetricKeyTests {
    /// 32 bytes 0x00...0x1f in standard base64, as `openssl rand -base64 32` would print a key.
    static let base64Key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

    @Test("a base64 key is the same key as its 32 raw bytes")
    func base64Key_EqualsRawBytesKey() throws {
        let fromText = try SymmetricKey(base64Encoded: Self.base64Key)
        let fromBytes = try SymmetricKey(bytes: (0..<32).map { UInt8($0) })
        let box = try AESGCM.seal("x".utf8, key: fromText)
        #expect(try AESGCM.open(box, key: fromBytes) == Array("x".utf8))
    }

    @Test("a key of other than 32 bytes is rejected with its length", arguments: [0, 1, 16, 31, 33, 64])
    func wrongLength_IsRejected(length: Int) {
        #expect(throws: CryptoError.invalidKeyLength(byteCount: length)) {
            try SymmetricKey(bytes: [UInt8](repeating: 7, count: length))
        }
    }

    @Test(
        "key text that is not base64 or not 32 bytes is rejected without echoing the text",
        arguments: [
            "c2VjcmV0LWtleS10aGF0LWlzLXRvby1zaG9ydA==",
            "this-is-not-base64-at-all-but-looks-secret!!",
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8fHw==",
            "",
        ]
    )
    func invalidKeyText_ErrorOmitsText(text: String) {
        let error = #expect(throws: CryptoError.self) { try SymmetricKey(base64Encoded: text) }
        let description = error.map(String.init(describing:)) ?? ""
        #expect(description.contains("32 bytes"))
        if !text.isEmpty {
            #expect(!description.contains(text))
            #expect(!description.contains(text.prefix(8)))
        }
    }

    @Test("non-base64 key text throws invalidKeyEncoding, and short base64 invalidKeyLength")
    func keyTextErrors_AreSpecific() {
        #expect(throws: CryptoError.invalidKeyEncoding) { try SymmetricKey(base64Encoded: "not*base64") }
        #expect(throws: CryptoError.invalidKeyLength(byteCount: 6)) { try SymmetricKey(base64Encoded: "c2VjcmV0") }
    }

    @Test("generated keys differ")
    func generatedKeys_Differ() throws {
        let first = try SymmetricKey.generate()
        let box = try AESGCM.seal("x".utf8, key: first)
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(box, key: SymmetricKey.generate()) }
    }

    @Test("a key prints, reflects and dumps as redacted")
    func key_IsRedactedInText() throws {
        let key = try SymmetricKey(base64Encoded: Self.base64Key)
        var dumped = ""
        dump(key, to: &dumped)
        #expect(String(describing: key) == "SymmetricKey(<redacted>)")
        #expect(String(reflecting: key) == "SymmetricKey(<redacted>)")
        #expect("\(key)" == "SymmetricKey(<redacted>)")
        #expect(Mirror(reflecting: key).children.isEmpty)
        #expect(dumped == "- SymmetricKey(<redacted>) #0\n")
    }
}
