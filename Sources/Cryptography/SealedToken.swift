/// Sealed data in its at-rest form: `version ‖ keyID ‖ IV ‖ ciphertext ‖ tag`, as bytes or unpadded base64url.
///
/// The key id tells a ``KeyRing`` which key sealed the token, so tokens survive a rotation of the current key. The
/// version byte lets a later build change the layout or cipher and still read old tokens. ``KeyRing`` authenticates
/// both header bytes as associated data, so neither can be altered without failing the tag.
package struct SealedToken: Sendable, Equatable {
    /// The layout this build writes and reads: one version byte, one key id byte, 12-byte IV, ciphertext, 16-byte tag.
    package static let formatVersion: UInt8 = 1
    /// The version and key id bytes in front of the IV.
    static let headerByteCount = 2
    /// The length of a token with an empty plaintext; anything shorter is truncated.
    package static let minimumByteCount = headerByteCount + AESGCM.ivByteCount + AESGCM.tagByteCount

    /// The id of the key in the ``KeyRing`` that sealed this token.
    package let keyID: UInt8
    /// The IV, ciphertext and tag.
    package let box: AESGCM.SealedBox

    /// A token from its key id and sealed box.
    package init(keyID: UInt8, box: AESGCM.SealedBox) {
        self.keyID = keyID
        self.box = box
    }

    /// Parses the byte form made by ``serialized``; this checks the layout only, and ``KeyRing/open(_:associatedData:)``
    /// authenticates.
    ///
    /// - Throws: ``CryptoError/truncatedToken(byteCount:minimum:)`` or
    ///   ``CryptoError/unsupportedTokenVersion(_:)``.
    package init(serialized: some Sequence<UInt8>) throws(CryptoError) {
        let bytes = Array(serialized)
        guard bytes.count >= Self.minimumByteCount else {
            throw .truncatedToken(byteCount: bytes.count, minimum: Self.minimumByteCount)
        }
        guard bytes[0] == Self.formatVersion else { throw .unsupportedTokenVersion(bytes[0]) }
        let ivEnd = Self.headerByteCount + AESGCM.ivByteCount
        let tagStart = bytes.count - AESGCM.tagByteCount
        keyID = bytes[1]
        box = try AESGCM.SealedBox(
            iv: Array(bytes[Self.headerByteCount..<ivEnd]),
            ciphertext: Array(bytes[ivEnd..<tagStart]),
            tag: Array(bytes[tagStart...])
        )
    }

    /// Parses the text form made by ``base64URLEncoded``.
    ///
    /// - Throws: ``CryptoError/invalidTokenEncoding``, or what ``init(serialized:)`` throws.
    package init(base64URLEncoded text: String) throws(CryptoError) {
        guard let bytes = Base64URL.decode(text) else { throw .invalidTokenEncoding }
        try self.init(serialized: bytes)
    }

    /// The header bytes of a token sealed under `keyID`, which ``KeyRing`` authenticates ahead of the caller's
    /// associated data.
    static func header(keyID: UInt8) -> [UInt8] {
        [formatVersion, keyID]
    }

    /// The byte form, for stores that hold bytes.
    package var serialized: [UInt8] {
        Self.header(keyID: keyID) + box.iv + box.ciphertext + box.tag
    }

    /// The text form: unpadded base64url of ``serialized``, safe in URLs, headers and JSON.
    package var base64URLEncoded: String {
        Base64URL.encode(serialized)
    }
}
