internal import COpenSSL

/// SHA-256 (FIPS 180-4), for fingerprints and the PKCE S256 challenge (RFC 7636 §4.2); never for passwords.
package enum SHA256 {
    /// The digest length: 32 bytes.
    package static let byteCount = 32

    /// The SHA-256 digest of `bytes`, through OpenSSL's one-shot `SHA256()`.
    ///
    /// - Throws: ``CryptoError/openSSL(function:reason:)`` only when OpenSSL cannot fetch SHA-256 from its default
    ///   provider, which means a broken installation, not bad input.
    package static func hash(_ bytes: some Sequence<UInt8>) throws(CryptoError) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: byteCount)
        let succeeded = bytes.withContiguousBytes { input in
            digest.withUnsafeMutableBufferPointer { output in
                // Module-qualified: inside this enum, a bare `SHA256` names the enum.
                COpenSSL.SHA256(input.baseAddress, input.count, output.baseAddress) != nil
            }
        }
        guard succeeded else { throw .fromErrorQueue(failedFunction: "SHA256") }
        return digest
    }

    /// The SHA-256 digest of `bytes` in lowercase hex, the form logs and fingerprints use.
    package static func hexDigest(_ bytes: some Sequence<UInt8>) throws(CryptoError) -> String {
        Hex.encode(try hash(bytes))
    }
}
