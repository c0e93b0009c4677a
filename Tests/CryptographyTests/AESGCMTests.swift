import Testing

@testable import Cryptography

struct AESGCMTests {
    /// One AES-256 known-answer test of McGrew and Viega, "The Galois/Counter Mode of Operation", Appendix B (the
    /// vectors NIST's GCM validation reuses).
    struct GCMVector: Sendable, CustomTestStringConvertible {
        let number: Int
        let key: [UInt8]
        let iv: [UInt8]
        let plaintext: [UInt8]
        let associatedData: [UInt8]
        let ciphertext: [UInt8]
        let tag: [UInt8]

        var testDescription: String {
            "GCM spec test case \(number)"
        }
    }

    static let zeroKey = [UInt8](repeating: 0, count: 32)
    static let zeroIV = [UInt8](repeating: 0, count: 12)
    static let specKey = [UInt8](hex: "feffe9928665731c6d6a8f9467308308 feffe9928665731c6d6a8f9467308308")
    static let specIV = [UInt8](hex: "cafebabefacedbaddecaf888")
    static let specPlaintext = [UInt8](
        hex: "d9313225f88406e5a55909c5aff5269a 86a7a9531534f7da2e4c303d8a318a72"
            + "1c3c0c95956809532fcf0e2449a6b525 b16aedf5aa0de657ba637b391aafd255"
    )
    static let specCiphertext = [UInt8](
        hex: "522dc1f099567d07f47f37a32a84427d 643a8cdcbfe5c0c97598a2bd2555d1aa"
            + "8cb08e48590dbb3da7b08b1056828838 c5f61e6393ba7a0abcc9f662898015ad"
    )

    static let specVectors = [
        GCMVector(
            number: 13,
            key: zeroKey,
            iv: zeroIV,
            plaintext: [],
            associatedData: [],
            ciphertext: [],
            tag: [UInt8](hex: "530f8afbc74536b9a963b4f1c4cb738b")
        ),
        GCMVector(
            number: 14,
            key: zeroKey,
            iv: zeroIV,
            plaintext: [UInt8](repeating: 0, count: 16),
            associatedData: [],
            ciphertext: [UInt8](hex: "cea7403d4d606b6e074ec5d3baf39d18"),
            tag: [UInt8](hex: "d0d1c8a799996bf0265b98b5d48ab919")
        ),
        GCMVector(
            number: 15,
            key: specKey,
            iv: specIV,
            plaintext: specPlaintext,
            associatedData: [],
            ciphertext: specCiphertext,
            tag: [UInt8](hex: "b094dac5d93471bdec1a502270e3cc6c")
        ),
        GCMVector(
            number: 16,
            key: specKey,
            iv: specIV,
            plaintext: Array(specPlaintext.prefix(60)),
            associatedData: [UInt8](hex: "feedfacedeadbeeffeedfacedeadbeefabaddad2"),
            ciphertext: Array(specCiphertext.prefix(60)),
            tag: [UInt8](hex: "76fc6ece0f4e1768cddf8853bb2d551b")
        ),
    ]

    @Test("sealing a GCM spec vector under its fixed IV gives the published ciphertext and tag", arguments: specVectors)
    func specVector_SealsToPublishedCiphertextAndTag(vector: GCMVector) throws {
        let key = try SymmetricKey(bytes: vector.key)
        let box = try AESGCM.seal(vector.plaintext, key: key, iv: vector.iv, associatedData: vector.associatedData)
        #expect(box.iv == vector.iv)
        #expect(Hex.encode(box.ciphertext) == Hex.encode(vector.ciphertext))
        #expect(Hex.encode(box.tag) == Hex.encode(vector.tag))
    }

    @Test("opening a GCM spec vector gives the published plaintext", arguments: specVectors)
    func specVector_OpensToPublishedPlaintext(vector: GCMVector) throws {
        let key = try SymmetricKey(bytes: vector.key)
        let box = try AESGCM.SealedBox(iv: vector.iv, ciphertext: vector.ciphertext, tag: vector.tag)
        #expect(try AESGCM.open(box, key: key, associatedData: vector.associatedData) == vector.plaintext)
    }

    @Test("seal then open returns the plaintext", arguments: [0, 1, 15, 16, 17, 4096])
    func sealThenOpen_ReturnsPlaintext(length: Int) throws {
        let key = try SymmetricKey.generate()
        let plaintext = try SecureRandom.bytes(count: length)
        let associatedData = Array("user:42".utf8)
        let box = try AESGCM.seal(plaintext, key: key, associatedData: associatedData)
        #expect(box.ciphertext.count == length)
        #expect(box.iv.count == AESGCM.ivByteCount)
        #expect(box.tag.count == AESGCM.tagByteCount)
        #expect(try AESGCM.open(box, key: key, associatedData: associatedData) == plaintext)
    }

    @Test("every seal draws a fresh IV, so equal plaintexts give unrelated ciphertexts")
    func repeatedSeal_UsesFreshIV() throws {
        let key = try SymmetricKey.generate()
        let plaintext = Array("the same Make token".utf8)
        let boxes = try (0..<64).map { _ throws(CryptoError) in try AESGCM.seal(plaintext, key: key) }
        #expect(Set(boxes.map(\.iv)).count == boxes.count)
        #expect(Set(boxes.map(\.ciphertext)).count == boxes.count)
    }

    @Test("flipping any bit of the IV, ciphertext or tag makes open throw authenticationFailed")
    func flippedBit_FailsAuthentication() throws {
        let key = try SymmetricKey.generate()
        let box = try AESGCM.seal("secret".utf8, key: key)
        for bit in 0..<8 {
            for index in box.iv.indices {
                let tampered = try AESGCM.SealedBox(
                    iv: box.iv.flippingBit(bit, ofByteAt: index), ciphertext: box.ciphertext, tag: box.tag)
                #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(tampered, key: key) }
            }
            for index in box.ciphertext.indices {
                let tampered = try AESGCM.SealedBox(
                    iv: box.iv, ciphertext: box.ciphertext.flippingBit(bit, ofByteAt: index), tag: box.tag)
                #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(tampered, key: key) }
            }
            for index in box.tag.indices {
                let tampered = try AESGCM.SealedBox(
                    iv: box.iv, ciphertext: box.ciphertext, tag: box.tag.flippingBit(bit, ofByteAt: index))
                #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(tampered, key: key) }
            }
        }
    }

    @Test("open with different associated data throws authenticationFailed")
    func changedAssociatedData_FailsAuthentication() throws {
        let key = try SymmetricKey.generate()
        let associatedData = Array("user:42".utf8)
        let box = try AESGCM.seal("secret".utf8, key: key, associatedData: associatedData)
        let flipped = associatedData.flippingBit(0, ofByteAt: 0)
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(box, key: key, associatedData: flipped) }
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(box, key: key) }
        #expect(throws: CryptoError.authenticationFailed) {
            try AESGCM.open(box, key: key, associatedData: associatedData + [0])
        }
    }

    @Test("open with another key throws authenticationFailed")
    func wrongKey_FailsAuthentication() throws {
        let box = try AESGCM.seal("secret".utf8, key: SymmetricKey.generate())
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(box, key: SymmetricKey.generate()) }
    }

    @Test("dropping the last ciphertext byte makes open throw authenticationFailed")
    func truncatedCiphertext_FailsAuthentication() throws {
        let key = try SymmetricKey.generate()
        let box = try AESGCM.seal("secret".utf8, key: key)
        let truncated = try AESGCM.SealedBox(iv: box.iv, ciphertext: Array(box.ciphertext.dropLast()), tag: box.tag)
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(truncated, key: key) }
    }

    @Test("a box rejects an IV that is not 12 bytes", arguments: [0, 8, 11, 13, 16])
    func wrongIVLength_IsRejected(length: Int) throws {
        let iv = [UInt8](repeating: 0, count: length)
        let tag = [UInt8](repeating: 0, count: AESGCM.tagByteCount)
        #expect(throws: CryptoError.invalidIVLength(byteCount: length)) {
            try AESGCM.SealedBox(iv: iv, ciphertext: [], tag: tag)
        }
        #expect(throws: CryptoError.invalidIVLength(byteCount: length)) {
            try AESGCM.seal([UInt8](), key: SymmetricKey.generate(), iv: iv, associatedData: [])
        }
    }

    @Test("a box rejects a tag that is not the full 16 bytes", arguments: [0, 4, 12, 15, 17])
    func wrongTagLength_IsRejected(length: Int) {
        let iv = [UInt8](repeating: 0, count: AESGCM.ivByteCount)
        let tag = [UInt8](repeating: 0, count: length)
        #expect(throws: CryptoError.invalidTagLength(byteCount: length)) {
            try AESGCM.SealedBox(iv: iv, ciphertext: [], tag: tag)
        }
    }

    @Test("an OpenSSL failure carries OpenSSL's reason text")
    func openSSLFailure_CarriesReason() throws {
        // A zero-length IV is refused by OpenSSL itself; AESGCM never passes one, so this reaches the context directly.
        let error = #expect(throws: CryptoError.self) {
            try CipherContext(.encrypt, key: SymmetricKey.generate(), iv: [])
        }
        guard case .openSSL(let function, let reason) = error else {
            Issue.record("expected an OpenSSL error, got \(String(describing: error))")
            return
        }
        #expect(function == "EVP_CIPHER_CTX_ctrl(EVP_CTRL_GCM_SET_IVLEN)")
        #expect(reason.contains("invalid iv length"))
    }
}
