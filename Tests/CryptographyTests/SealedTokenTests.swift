import Cryptography
import Testing

struct SealedTokenTests {
    /// A box with recognisable bytes in each part, so the layout can be read off the serialized form.
    static func makeBox() throws -> AESGCM.SealedBox {
        try AESGCM.SealedBox(
            iv: [UInt8](repeating: 0x11, count: 12),
            ciphertext: [0xc1, 0xc2, 0xc3],
            tag: [UInt8](repeating: 0x22, count: 16)
        )
    }

    @Test("the byte form is version, key id, IV, ciphertext and tag, in that order")
    func serialized_HasDocumentedLayout() throws {
        let token = SealedToken(keyID: 9, box: try Self.makeBox())
        let expected: [UInt8] =
            [SealedToken.formatVersion, 9] + [UInt8](repeating: 0x11, count: 12) + [0xc1, 0xc2, 0xc3]
            + [UInt8](repeating: 0x22, count: 16)
        #expect(token.serialized == expected)
        #expect(SealedToken.formatVersion == 1)
        #expect(SealedToken.minimumByteCount == 30)
    }

    @Test("parsing the byte form and the text form gives the token back")
    func parsedForms_RoundTrip() throws {
        let token = SealedToken(keyID: 200, box: try Self.makeBox())
        #expect(try SealedToken(serialized: token.serialized) == token)
        #expect(try SealedToken(base64URLEncoded: token.base64URLEncoded) == token)
    }

    @Test("the text form uses only the unpadded base64url alphabet")
    func textForm_IsUnpaddedBase64URL() throws {
        let text = SealedToken(keyID: 0xff, box: try Self.makeBox()).base64URLEncoded
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        #expect(text.allSatisfy(alphabet.contains))
    }

    @Test(
        "text that is not canonical unpadded base64url is rejected",
        arguments: ["", "not base64!", "AQkREREREREREREREREREcHCwyIiIiIiIiIiIiIiIiIiIiI=", "AQk+", " AQkR"]
    )
    func invalidText_IsRejected(text: String) {
        #expect(throws: CryptoError.self) { try SealedToken(base64URLEncoded: text) }
    }

    @Test("non-base64url text throws invalidTokenEncoding")
    func nonBase64URL_ThrowsInvalidTokenEncoding() {
        #expect(throws: CryptoError.invalidTokenEncoding) { try SealedToken(base64URLEncoded: "AQk+/w") }
    }
}
