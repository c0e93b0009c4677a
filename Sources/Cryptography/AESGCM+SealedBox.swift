extension AESGCM {
    /// The result of one seal: the IV, the ciphertext and the tag, all three needed to open it.
    package struct SealedBox: Sendable, Equatable {
        /// The 12-byte IV the box was sealed under.
        package let iv: [UInt8]
        /// The encrypted bytes, as long as the plaintext.
        package let ciphertext: [UInt8]
        /// The 16-byte authentication tag over the associated data and ciphertext.
        package let tag: [UInt8]

        /// A box from its parts, checking the lengths so that opening never runs with a short IV or truncated tag.
        ///
        /// - Throws: ``CryptoError/invalidIVLength(byteCount:)`` or ``CryptoError/invalidTagLength(byteCount:)``.
        package init(iv: [UInt8], ciphertext: [UInt8], tag: [UInt8]) throws(CryptoError) {
            guard iv.count == AESGCM.ivByteCount else { throw .invalidIVLength(byteCount: iv.count) }
            guard tag.count == AESGCM.tagByteCount else { throw .invalidTagLength(byteCount: tag.count) }
            self.iv = iv
            self.ciphertext = ciphertext
            self.tag = tag
        }
    }
}
