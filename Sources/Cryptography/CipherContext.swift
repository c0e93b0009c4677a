internal import COpenSSL

/// The single owner of one `EVP_CIPHER_CTX`, set up for one AES-256-GCM seal or open.
///
/// `deinit` frees the context, and `EVP_CIPHER_CTX_free` also wipes the expanded key schedule it holds. Each seal or
/// open makes its own context, so it is never shared between threads and needs no lock.
final class CipherContext {
    /// Whether the context encrypts (seal) or decrypts (open).
    enum Direction {
        case encrypt
        case decrypt
    }

    private let context: OpaquePointer

    /// A context keyed with `key` and `iv`, which must be ``AESGCM/ivByteCount`` bytes.
    init(_ direction: Direction, key: SymmetricKey, iv: [UInt8]) throws(CryptoError) {
        guard let context = EVP_CIPHER_CTX_new() else {
            throw .fromErrorQueue(failedFunction: "EVP_CIPHER_CTX_new")
        }
        // Owned from here: if a step below throws, the instance is fully initialised and deinit frees the context.
        self.context = context
        let encrypting: Int32 = direction == .encrypt ? 1 : 0
        try CryptoError.check(
            EVP_CipherInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil, encrypting),
            "EVP_CipherInit_ex"
        )
        try CryptoError.check(
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, Int32(iv.count), nil),
            "EVP_CIPHER_CTX_ctrl(EVP_CTRL_GCM_SET_IVLEN)"
        )
        try key.withUnsafeBytes { (key) throws(CryptoError) in
            try iv.withUnsafeBufferPointer { (iv) throws(CryptoError) in
                try CryptoError.check(
                    EVP_CipherInit_ex(context, nil, nil, key.baseAddress, iv.baseAddress, encrypting),
                    "EVP_CipherInit_ex"
                )
            }
        }
    }

    deinit {
        EVP_CIPHER_CTX_free(context)
    }

    /// Feeds data that is authenticated but not encrypted (SP 800-38D §7.1); must come before ``update(_:)``.
    func authenticate(_ associatedData: [UInt8]) throws(CryptoError) {
        guard !associatedData.isEmpty else { return }
        var written: Int32 = 0
        try associatedData.withUnsafeBufferPointer { (associatedData) throws(CryptoError) in
            try CryptoError.check(
                EVP_CipherUpdate(context, nil, &written, associatedData.baseAddress, Int32(associatedData.count)),
                "EVP_CipherUpdate"
            )
        }
    }

    /// Encrypts or decrypts `input`. GCM is a counter mode, so the output is exactly as long as the input.
    func update(_ input: some Sequence<UInt8>) throws(CryptoError) -> [UInt8] {
        try input.withContiguousBytes { (input) throws(CryptoError) -> [UInt8] in
            guard !input.isEmpty else { return [] }
            var output = [UInt8](repeating: 0, count: input.count)
            var written: Int32 = 0
            try output.withUnsafeMutableBufferPointer { (output) throws(CryptoError) in
                try CryptoError.check(
                    EVP_CipherUpdate(context, output.baseAddress, &written, input.baseAddress, Int32(input.count)),
                    "EVP_CipherUpdate"
                )
            }
            precondition(Int(written) == input.count, "AES-GCM output must be as long as its input")
            return output
        }
    }

    /// Ends encryption and returns the full 16-byte tag.
    func finishSealing() throws(CryptoError) -> [UInt8] {
        var written: Int32 = 0
        // GCM's final step writes no bytes, but the call still wants an output pointer.
        var unused: UInt8 = 0
        try CryptoError.check(EVP_CipherFinal_ex(context, &unused, &written), "EVP_CipherFinal_ex")
        var tag = [UInt8](repeating: 0, count: AESGCM.tagByteCount)
        try tag.withUnsafeMutableBufferPointer { (tag) throws(CryptoError) in
            try CryptoError.check(
                EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tag.count), tag.baseAddress),
                "EVP_CIPHER_CTX_ctrl(EVP_CTRL_GCM_GET_TAG)"
            )
        }
        return tag
    }

    /// Ends decryption by checking `expectedTag`; until this returns, the decrypted bytes are unauthenticated.
    ///
    /// - Throws: ``CryptoError/authenticationFailed`` when the tag does not match.
    func finishOpening(expectedTag: [UInt8]) throws(CryptoError) {
        // EVP_CTRL_GCM_SET_TAG only reads the tag, but the ctrl call takes a mutable pointer.
        var tag = expectedTag
        try tag.withUnsafeMutableBufferPointer { (tag) throws(CryptoError) in
            try CryptoError.check(
                EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tag.count), tag.baseAddress),
                "EVP_CIPHER_CTX_ctrl(EVP_CTRL_GCM_SET_TAG)"
            )
        }
        var written: Int32 = 0
        var unused: UInt8 = 0
        guard EVP_CipherFinal_ex(context, &unused, &written) == 1 else {
            // A mismatch is an expected outcome, not an OpenSSL fault; leave no entry behind on the error queue.
            ERR_clear_error()
            throw .authenticationFailed
        }
    }
}
