internal import COpenSSL

/// Comparison of secrets in time independent of their content.
package enum ConstantTime {
    /// Whether `lhs` and `rhs` hold the same bytes, through `CRYPTO_memcmp`.
    ///
    /// `==` stops at the first differing byte, so its timing tells an attacker how much of a guessed token or MAC was
    /// right. Here only the lengths decide the time: unequal lengths return `false` at once, which reveals the length
    /// and nothing else; token and MAC lengths are public anyway.
    package static func equals(_ lhs: some Sequence<UInt8>, _ rhs: some Sequence<UInt8>) -> Bool {
        lhs.withContiguousBytes { lhs in
            rhs.withContiguousBytes { rhs in
                lhs.count == rhs.count && CRYPTO_memcmp(lhs.baseAddress, rhs.baseAddress, lhs.count) == 0
            }
        }
    }
}
