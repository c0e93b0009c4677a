import Cryptography
import Testing

struct KeyRingTests {
    static let associatedData = Array("connection:7".utf8)

    @Test("a token sealed by the ring opens through its byte and text forms")
    func sealedToken_OpensThroughBytesAndText() throws {
        let ring = try KeyRing(currentKeyID: 3, currentKey: SymmetricKey.generate())
        let plaintext = Array("make-access-token".utf8)
        let token = try ring.seal(plaintext, associatedData: Self.associatedData)
        #expect(token.keyID == 3)
        let fromBytes = try SealedToken(serialized: token.serialized)
        let fromText = try SealedToken(base64URLEncoded: token.base64URLEncoded)
        #expect(try ring.open(fromBytes, associatedData: Self.associatedData) == plaintext)
        #expect(try ring.open(fromText, associatedData: Self.associatedData) == plaintext)
    }

    @Test("after rotation the new key seals and tokens of the previous key still open")
    func rotatedRing_OpensTokensOfPreviousKey() throws {
        let oldKey = try SymmetricKey.generate()
        let oldRing = try KeyRing(currentKeyID: 1, currentKey: oldKey)
        let oldToken = try oldRing.seal("old".utf8)
        let newRing = try KeyRing(currentKeyID: 2, currentKey: SymmetricKey.generate(), previousKeys: [1: oldKey])
        let newToken = try newRing.seal("new".utf8)
        #expect(newToken.keyID == 2)
        #expect(try newRing.open(oldToken) == Array("old".utf8))
        #expect(try newRing.open(newToken) == Array("new".utf8))
        #expect(throws: CryptoError.unknownKeyID(2)) { try oldRing.open(newToken) }
    }

    @Test("a token of a retired key id throws unknownKeyID")
    func retiredKeyID_IsUnknown() throws {
        let token = try KeyRing(currentKeyID: 1, currentKey: SymmetricKey.generate()).seal("x".utf8)
        let ring = try KeyRing(currentKeyID: 2, currentKey: SymmetricKey.generate())
        #expect(throws: CryptoError.unknownKeyID(1)) { try ring.open(token) }
    }

    @Test("a ring whose previous keys reuse the current id is rejected")
    func duplicateKeyID_IsRejected() throws {
        let key = try SymmetricKey.generate()
        #expect(throws: CryptoError.duplicateKeyID(5)) {
            try KeyRing(currentKeyID: 5, currentKey: key, previousKeys: [5: key])
        }
    }

    @Test("a token opened by a ring holding a different key under the same id throws authenticationFailed")
    func differentKeyUnderSameID_FailsAuthentication() throws {
        let token = try KeyRing(currentKeyID: 1, currentKey: SymmetricKey.generate()).seal("x".utf8)
        let otherRing = try KeyRing(currentKeyID: 1, currentKey: SymmetricKey.generate())
        #expect(throws: CryptoError.authenticationFailed) { try otherRing.open(token) }
    }

    @Test("flipping any single bit of a serialized token makes open throw")
    func anyFlippedBit_MakesOpenThrow() throws {
        let key = try SymmetricKey.generate()
        // Both ids hold the same key, so a flipped key id can only be caught by the authenticated header.
        let ring = try KeyRing(currentKeyID: 1, currentKey: key, previousKeys: [0: key, 3: key, 5: key])
        let bytes = try ring.seal("make-access-token".utf8, associatedData: Self.associatedData).serialized
        for index in bytes.indices {
            for bit in 0..<8 {
                let tampered = bytes.flippingBit(bit, ofByteAt: index)
                #expect(throws: CryptoError.self, "bit \(bit) of byte \(index)") {
                    try ring.open(SealedToken(serialized: tampered), associatedData: Self.associatedData)
                }
            }
        }
    }

    @Test("a flipped key id naming another key of the ring fails authentication, not only lookup")
    func flippedKeyIDOfKnownKey_FailsAuthentication() throws {
        let key = try SymmetricKey.generate()
        let ring = try KeyRing(currentKeyID: 1, currentKey: key, previousKeys: [0: key])
        let bytes = try ring.seal("x".utf8).serialized
        let tampered = bytes.flippingBit(0, ofByteAt: 1)
        #expect(throws: CryptoError.authenticationFailed) { try ring.open(SealedToken(serialized: tampered)) }
    }

    @Test("a flipped version byte throws unsupportedTokenVersion")
    func flippedVersion_IsUnsupported() throws {
        let ring = try KeyRing(currentKeyID: 1, currentKey: SymmetricKey.generate())
        let tampered = try ring.seal("x".utf8).serialized.flippingBit(1, ofByteAt: 0)
        #expect(throws: CryptoError.unsupportedTokenVersion(3)) { try SealedToken(serialized: tampered) }
    }

    @Test("open with other associated data throws authenticationFailed")
    func otherAssociatedData_FailsAuthentication() throws {
        let ring = try KeyRing(currentKeyID: 1, currentKey: SymmetricKey.generate())
        let token = try ring.seal("x".utf8, associatedData: Array("user:1".utf8))
        #expect(throws: CryptoError.authenticationFailed) {
            try ring.open(token, associatedData: Array("user:2".utf8))
        }
    }

    @Test("a token cut short by any number of bytes fails to parse or to open")
    func truncatedToken_Throws() throws {
        let ring = try KeyRing(currentKeyID: 1, currentKey: SymmetricKey.generate())
        let bytes = try ring.seal("make-access-token".utf8).serialized
        for length in 0..<bytes.count {
            let truncated = Array(bytes.prefix(length))
            if length < SealedToken.minimumByteCount {
                #expect(throws: CryptoError.truncatedToken(byteCount: length, minimum: SealedToken.minimumByteCount)) {
                    try SealedToken(serialized: truncated)
                }
            } else {
                #expect(throws: CryptoError.authenticationFailed) { try ring.open(SealedToken(serialized: truncated)) }
            }
        }
    }

    @Test("one ring seals and opens from many tasks at once")
    func sharedRing_WorksAcrossTasks() async throws {
        let ring = try KeyRing(currentKeyID: 1, currentKey: SymmetricKey.generate())
        let opened = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<64 {
                group.addTask {
                    let plaintext = Array("token \(index)".utf8)
                    return try ring.open(ring.seal(plaintext)) == plaintext
                }
            }
            return try await group.reduce(0) { count, isRoundTrip in isRoundTrip ? count + 1 : count }
        }
        #expect(opened == 64)
    }
}
