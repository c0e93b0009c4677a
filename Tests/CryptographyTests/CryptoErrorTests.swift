import Cryptography
import Testing

struct CryptoErrorTests {
    @Test("descriptions name the failure and its non-secret facts")
    func descriptions_NameFailureAndFacts() {
        #expect(
            CryptoError.openSSL(function: "RAND_bytes", reason: "error:12000090:random number generator::unable")
                .description == "OpenSSL RAND_bytes failed: error:12000090:random number generator::unable"
        )
        #expect(CryptoError.invalidKeyLength(byteCount: 16).description == "encryption key must be 32 bytes, got 16")
        #expect(CryptoError.invalidIVLength(byteCount: 8).description == "AES-GCM IV must be 12 bytes, got 8")
        #expect(CryptoError.invalidTagLength(byteCount: 4).description == "AES-GCM tag must be 16 bytes, got 4")
        #expect(CryptoError.unknownKeyID(7).description.contains("key id 7"))
        #expect(CryptoError.truncatedToken(byteCount: 3, minimum: 30).description.contains("3 bytes"))
    }

    @Test("String(describing:) gives the description, as log metadata will")
    func stringDescribing_IsDescription() {
        let error = CryptoError.authenticationFailed
        #expect(String(describing: error) == error.description)
        #expect(error.description.contains("authentication"))
    }
}
