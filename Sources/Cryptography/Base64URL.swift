internal import FoundationEssentials

/// Base64url without padding (RFC 4648 §5, RFC 7515 Appendix C), the encoding of OAuth tokens, PKCE challenges and
/// sealed tokens: it survives URLs, headers and form bodies unescaped.
///
/// Foundation's `Data` speaks only the standard alphabet with padding, so this maps `+/` to `-_` and drops the `=`.
package enum Base64URL {
    /// `bytes` as unpadded base64url.
    package static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let standard = Data(bytes).base64EncodedData()
        let text = standard.compactMap { character -> UInt8? in
            switch character {
            case UInt8(ascii: "+"): UInt8(ascii: "-")
            case UInt8(ascii: "/"): UInt8(ascii: "_")
            case UInt8(ascii: "="): nil
            default: character
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes `text` encodes, or nil unless it is canonical unpadded base64url.
    ///
    /// Only the one canonical spelling of a byte string is accepted (no padding, no `+/`, no whitespace, no stray
    /// low bits in the last character), so two different texts never decode to the same bytes.
    package static func decode(_ text: String) -> [UInt8]? {
        var standard = text.utf8.map { character -> UInt8 in
            switch character {
            case UInt8(ascii: "-"): UInt8(ascii: "+")
            case UInt8(ascii: "_"): UInt8(ascii: "/")
            default: character
            }
        }
        standard.append(contentsOf: repeatElement(UInt8(ascii: "="), count: (4 - standard.count % 4) % 4))
        guard let data = Data(base64Encoded: Data(standard)) else { return nil }
        let bytes = [UInt8](data)
        guard encode(bytes) == text else { return nil }
        return bytes
    }
}
