/// Why a cryptographic operation failed.
///
/// Descriptions name the operation and the non-secret facts (lengths, key ids, OpenSSL's reason) and never contain
/// key, plaintext or token bytes, so they can be logged as they are.
package enum CryptoError: Error, Equatable, CustomStringConvertible {
    /// An OpenSSL call reported failure; `reason` is the text of the first error on OpenSSL's error queue.
    case openSSL(function: String, reason: String)
    /// A symmetric key did not have the 32 bytes AES-256 needs.
    case invalidKeyLength(byteCount: Int)
    /// A symmetric key given as text was not base64.
    case invalidKeyEncoding
    /// An AES-GCM IV was not 12 bytes (NIST SP 800-38D §8.2 recommends 96 bits).
    case invalidIVLength(byteCount: Int)
    /// An AES-GCM tag was not the full 16 bytes; shorter tags weaken forgery resistance (SP 800-38D §5.2.1.2).
    case invalidTagLength(byteCount: Int)
    /// The tag did not match: the key is wrong, or the IV, ciphertext, associated data or header was altered.
    case authenticationFailed
    /// A sealed token as text was not unpadded base64url.
    case invalidTokenEncoding
    /// A sealed token is shorter than its header, IV and tag.
    case truncatedToken(byteCount: Int, minimum: Int)
    /// A sealed token starts with a format version this build cannot read.
    case unsupportedTokenVersion(UInt8)
    /// A sealed token names a key that is not in the key ring, for example one retired after rotation.
    case unknownKeyID(UInt8)
    /// A key ring was given two keys under one id.
    case duplicateKeyID(UInt8)

    package var description: String {
        switch self {
        case .openSSL(let function, let reason):
            "OpenSSL \(function) failed: \(reason)"
        case .invalidKeyLength(let byteCount):
            "encryption key must be \(SymmetricKey.byteCount) bytes, got \(byteCount)"
        case .invalidKeyEncoding:
            "encryption key is not valid base64; expected \(SymmetricKey.byteCount) bytes in base64 (44 characters)"
        case .invalidIVLength(let byteCount):
            "AES-GCM IV must be \(AESGCM.ivByteCount) bytes, got \(byteCount)"
        case .invalidTagLength(let byteCount):
            "AES-GCM tag must be \(AESGCM.tagByteCount) bytes, got \(byteCount)"
        case .authenticationFailed:
            "sealed data failed authentication: wrong key, or altered or corrupted data"
        case .invalidTokenEncoding:
            "sealed token is not unpadded base64url"
        case .truncatedToken(let byteCount, let minimum):
            "sealed token is \(byteCount) bytes, shorter than the minimum of \(minimum)"
        case .unsupportedTokenVersion(let version):
            "sealed token has unsupported format version \(version)"
        case .unknownKeyID(let keyID):
            "sealed token names key id \(keyID), which is not in the key ring"
        case .duplicateKeyID(let keyID):
            "key ring has more than one key with id \(keyID)"
        }
    }
}
