internal import COpenSSL

/// AES-256-GCM authenticated encryption (NIST SP 800-38D), for Make tokens and other secrets at rest.
///
/// Prefer ``KeyRing``, which adds a key id and a format version; this is the bare cipher underneath it.
package enum AESGCM {
    /// The IV length: 96 bits, the length SP 800-38D §8.2 recommends and the only one used here.
    package static let ivByteCount = 12
    /// The tag length: the full 128 bits, since shorter tags make forgeries likelier (SP 800-38D Appendix C).
    package static let tagByteCount = 16

    /// Encrypts and authenticates `plaintext`, and authenticates `associatedData`, under a fresh random IV.
    ///
    /// The IV comes from `RAND_bytes` on every call, because repeating an IV under one key reveals the XOR of the two
    /// plaintexts and lets an attacker forge tags (SP 800-38D §8). With random IVs, one key must seal fewer than
    /// 2^32 messages (§8.3); rotate keys through ``KeyRing`` long before that.
    package static func seal(
        _ plaintext: some Sequence<UInt8>,
        key: SymmetricKey,
        associatedData: [UInt8] = []
    ) throws(CryptoError) -> SealedBox {
        try seal(plaintext, key: key, iv: SecureRandom.bytes(count: ivByteCount), associatedData: associatedData)
    }

    /// Seals under a caller-chosen IV.
    ///
    /// Internal, for the known-answer tests only: their vectors fix the IV. Production code must use the random-IV
    /// ``seal(_:key:associatedData:)``, since a repeated IV breaks GCM.
    static func seal(
        _ plaintext: some Sequence<UInt8>,
        key: SymmetricKey,
        iv: [UInt8],
        associatedData: [UInt8]
    ) throws(CryptoError) -> SealedBox {
        guard iv.count == ivByteCount else { throw .invalidIVLength(byteCount: iv.count) }
        let context = try CipherContext(.encrypt, key: key, iv: iv)
        try context.authenticate(associatedData)
        let ciphertext = try context.update(plaintext)
        let tag = try context.finishSealing()
        return try SealedBox(iv: iv, ciphertext: ciphertext, tag: tag)
    }

    /// Verifies and decrypts `box`; `associatedData` must be the bytes it was sealed with.
    ///
    /// The tag is checked before anything is returned. On a mismatch the decrypted bytes are wiped and only
    /// ``CryptoError/authenticationFailed`` comes back, so unauthenticated plaintext never reaches a caller.
    package static func open(
        _ box: SealedBox,
        key: SymmetricKey,
        associatedData: [UInt8] = []
    ) throws(CryptoError) -> [UInt8] {
        let context = try CipherContext(.decrypt, key: key, iv: box.iv)
        try context.authenticate(associatedData)
        var plaintext = try context.update(box.ciphertext)
        do {
            try context.finishOpening(expectedTag: box.tag)
        } catch {
            plaintext.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
            throw error
        }
        return plaintext
    }
}
