internal import COpenSSL

/// Unpredictable bytes from OpenSSL's CSPRNG, for keys, IVs, tokens and identifiers.
package enum SecureRandom {
    /// `count` bytes from `RAND_bytes`.
    ///
    /// - Throws: ``CryptoError/openSSL(function:reason:)`` when the generator is not seeded or fails; the caller
    ///   must not fall back to a weaker source.
    package static func bytes(count: Int) throws(CryptoError) -> [UInt8] {
        precondition((0...Int(Int32.max)).contains(count), "RAND_bytes takes a non-negative Int32 count")
        var bytes = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return bytes }
        let status = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        try CryptoError.check(status, "RAND_bytes")
        return bytes
    }

    /// A random bearer token: `byteCount` random bytes as unpadded base64url (RFC 4648 §5).
    ///
    /// The default of 32 bytes gives 256 bits of entropy in 43 characters that are safe in URLs, headers and form
    /// bodies unescaped, which OAuth codes and tokens need (RFC 6749 §10.10 asks for at least 128 bits).
    package static func token(byteCount: Int = 32) throws(CryptoError) -> String {
        Base64URL.encode(try bytes(count: byteCount))
    }

    /// A random identifier: `byteCount` random bytes as lowercase hex, 32 characters by default.
    package static func hexID(byteCount: Int = 16) throws(CryptoError) -> String {
        Hex.encode(try bytes(count: byteCount))
    }
}
