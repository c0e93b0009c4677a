import Cryptography
import Testing

struct SecureRandomTests {
    @Test("bytes returns exactly the requested count", arguments: [0, 1, 12, 32, 1000])
    func bytes_HaveRequestedCount(count: Int) throws {
        #expect(try SecureRandom.bytes(count: count).count == count)
    }

    @Test("32-byte draws do not repeat")
    func draws_DoNotRepeat() throws {
        let draws = try (0..<1000).map { _ throws(CryptoError) in try SecureRandom.bytes(count: 32) }
        #expect(Set(draws).count == draws.count)
    }

    @Test("a draw is not all zero bytes")
    func draw_IsNotAllZero() throws {
        #expect(try SecureRandom.bytes(count: 32).contains { $0 != 0 })
    }

    @Test("a token is 43 unpadded base64url characters for the default 32 bytes")
    func token_Is43Base64URLCharacters() throws {
        let token = try SecureRandom.token()
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        #expect(token.count == 43)
        #expect(token.allSatisfy(alphabet.contains))
        #expect(Base64URL.decode(token)?.count == 32)
        #expect(try SecureRandom.token(byteCount: 16).count == 22)
    }

    @Test("tokens do not repeat")
    func tokens_DoNotRepeat() throws {
        let tokens = try (0..<1000).map { _ throws(CryptoError) in try SecureRandom.token() }
        #expect(Set(tokens).count == tokens.count)
    }

    @Test("a hex id is 32 lowercase hex digits for the default 16 bytes")
    func hexID_Is32LowercaseHexDigits() throws {
        let id = try SecureRandom.hexID()
        #expect(id.count == 32)
        #expect(id.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(try SecureRandom.hexID(byteCount: 8).count == 16)
        #expect(try SecureRandom.hexID() != id)
    }
}
