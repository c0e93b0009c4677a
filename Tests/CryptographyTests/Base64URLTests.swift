import Cryptography
import Testing

struct Base64URLTests {
    /// RFC 4648 §10 test vectors, with the padding that base64url drops removed.
    static let rfc4648Vectors: [(text: String, encoded: String)] = [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"),
        ("foobar", "Zm9vYmFy"),
    ]

    @Test("RFC 4648 vectors encode and decode without padding", arguments: rfc4648Vectors)
    func rfc4648Vector_RoundTrips(text: String, encoded: String) {
        #expect(Base64URL.encode(text.utf8) == encoded)
        #expect(Base64URL.decode(encoded) == Array(text.utf8))
    }

    @Test("the URL-safe alphabet replaces + and / with - and _")
    func urlAlphabet_ReplacesPlusAndSlash() {
        #expect(Base64URL.encode([0xfb, 0xff, 0xbf]) == "-_-_")
        #expect(Base64URL.decode("-_-_") == [0xfb, 0xff, 0xbf])
    }

    @Test(
        "padding, the standard alphabet, whitespace, impossible lengths and stray low bits are rejected",
        arguments: ["Zg==", "Zm8=", "+/+/", "Zm9v Zg", "Zm9v\n", "Z", "Zm9vY", "Zh", "Zm9", "Zm9vYmF="]
    )
    func nonCanonicalText_IsRejected(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }

    @Test("any bytes round-trip", arguments: [0, 1, 2, 3, 31, 32, 33, 255])
    func randomBytes_RoundTrip(count: Int) throws {
        let bytes = try SecureRandom.bytes(count: count)
        #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
    }
}
