internal import COpenSSL

/// HMAC with SHA-256 (RFC 2104, FIPS 198-1), for signing values the gateway hands out and later gets back.
package enum HMACSHA256 {
    /// The code length: 32 bytes.
    package static let byteCount = 32

    /// The HMAC-SHA256 of `message` under `key`, through OpenSSL's one-shot `HMAC()`.
    ///
    /// Compare a received code with ``ConstantTime/equals(_:_:)``, never `==`, or the comparison time leaks how many
    /// leading bytes of a forgery were right.
    package static func authenticationCode(
        for message: some Sequence<UInt8>,
        key: some Sequence<UInt8>
    ) throws(CryptoError) -> [UInt8] {
        var code = [UInt8](repeating: 0, count: byteCount)
        var codeLength: UInt32 = 0
        let succeeded = key.withContiguousBytes { key in
            message.withContiguousBytes { message in
                code.withUnsafeMutableBufferPointer { output in
                    HMAC(
                        EVP_sha256(),
                        key.baseAddress,
                        Int32(key.count),
                        message.baseAddress,
                        message.count,
                        output.baseAddress,
                        &codeLength
                    ) != nil
                }
            }
        }
        guard succeeded, codeLength == byteCount else { throw .fromErrorQueue(failedFunction: "HMAC") }
        return code
    }
}
