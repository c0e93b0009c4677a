/// Word-at-a-time scanning of string bytes. JSON strings are mostly plain ASCII, so checking eight bytes per step for
/// the few that need attention (quotes, backslashes, controls, and for the parser non-ASCII) makes reading and
/// writing long strings several times cheaper than a byte loop.
///
/// The tests are the classic SWAR ones: `(x - 0x01…01 * n) & ~x & 0x80…80` is non-zero exactly when some byte of
/// `x` is below `n` (for `n ≤ 0x80`), and some byte equals `c` when `x ^ (0x01…01 * c)` has a zero byte. They say
/// whether a word needs attention, not where, so callers resume byte by byte at the returned position.
enum JSONByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The start of the first eight-byte word, from `start` on, that may hold a byte a serializer must escape
    /// (`"`, `\` or a control character), or the first position from which fewer than eight bytes remain.
    static func skipUnescaped(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        skipWords(in: bytes, from: start) { needsEscaping($0) }
    }

    /// Like ``skipUnescaped(in:from:)``, but also stops at non-ASCII bytes, which the parser validates as UTF-8.
    static func skipPlainASCII(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        skipWords(in: bytes, from: start) { needsEscaping($0) || $0 & highBits != 0 }
    }

    /// Whether a serializer must escape `byte`: `"`, `\` or a control character (RFC 8259 §7).
    @inline(__always)
    static func needsEscaping(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Whether the parser can step over `byte` without a look: ASCII that needs no escaping.
    @inline(__always)
    static func isPlainASCII(_ byte: UInt8) -> Bool {
        byte < 0x80 && !needsEscaping(byte)
    }

    @inline(__always)
    private static func skipWords(
        in bytes: UnsafeBufferPointer<UInt8>, from start: Int, stopsAt isFlagged: (UInt64) -> Bool
    ) -> Int {
        guard let base = bytes.baseAddress else { return start }
        let raw = UnsafeRawPointer(base)
        var position = start
        while bytes.count - position >= 8, !isFlagged(raw.loadUnaligned(fromByteOffset: position, as: UInt64.self)) {
            position += 8
        }
        return position
    }

    @inline(__always)
    private static func needsEscaping(_ word: UInt64) -> Bool {
        let controls = (word &- ones &* 0x20) & ~word & highBits
        return controls | hasZeroByte(word ^ (ones &* 0x22)) | hasZeroByte(word ^ (ones &* 0x5C)) != 0
    }

    @inline(__always)
    private static func hasZeroByte(_ word: UInt64) -> UInt64 {
        (word &- ones) & ~word & highBits
    }
}
