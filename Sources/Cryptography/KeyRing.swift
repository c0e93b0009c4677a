/// The keys that seal and open ``SealedToken``s: the current key seals, and every key in the ring opens.
///
/// To rotate, add the new key under a new id and make it current, keep the old key under its id until every token
/// it sealed has expired or been resealed, then drop it.
package struct KeyRing: Sendable {
    /// The id written into every token this ring seals.
    package let currentKeyID: UInt8
    private let currentKey: SymmetricKey
    /// Every key by id, the current one included.
    private let keys: [UInt8: SymmetricKey]

    /// A ring that seals with `currentKey` and also opens tokens sealed by `previousKeys`.
    ///
    /// - Throws: ``CryptoError/duplicateKeyID(_:)`` when `previousKeys` reuses `currentKeyID`.
    package init(
        currentKeyID: UInt8,
        currentKey: SymmetricKey,
        previousKeys: [UInt8: SymmetricKey] = [:]
    ) throws(CryptoError) {
        guard previousKeys[currentKeyID] == nil else { throw .duplicateKeyID(currentKeyID) }
        self.currentKeyID = currentKeyID
        self.currentKey = currentKey
        var keys = previousKeys
        keys[currentKeyID] = currentKey
        self.keys = keys
    }

    /// Seals `plaintext` with the current key under a fresh random IV.
    ///
    /// Pass what the token belongs to (a user or connection id) as `associatedData`, so that a token copied into
    /// another record fails to open there.
    package func seal(
        _ plaintext: some Sequence<UInt8>,
        associatedData: [UInt8] = []
    ) throws(CryptoError) -> SealedToken {
        let header = SealedToken.header(keyID: currentKeyID)
        let box = try AESGCM.seal(plaintext, key: currentKey, associatedData: header + associatedData)
        return SealedToken(keyID: currentKeyID, box: box)
    }

    /// Verifies and decrypts `token` with the key its id names; `associatedData` must match what it was sealed with.
    ///
    /// - Throws: ``CryptoError/unknownKeyID(_:)`` for a key no longer in the ring, and
    ///   ``CryptoError/authenticationFailed`` for a wrong key or any altered byte.
    package func open(_ token: SealedToken, associatedData: [UInt8] = []) throws(CryptoError) -> [UInt8] {
        guard let key = keys[token.keyID] else { throw .unknownKeyID(token.keyID) }
        let authenticatedData = SealedToken.header(keyID: token.keyID) + associatedData
        return try AESGCM.open(token.box, key: key, associatedData: authenticatedData)
    }
}
