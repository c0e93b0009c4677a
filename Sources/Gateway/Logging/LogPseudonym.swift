internal import Cryptography

/// Session ids and users as they appear in log lines: an HMAC-SHA256 of the value, shortened, keyed by a secret
/// (the token key when there is one, so every replica writes the same pseudonym for the same user), so lines can
/// be correlated without naming anyone, and a session id read from a log cannot be used.
struct LogPseudonym: Sendable {
    private let key: [UInt8]

    init(secret: String?) {
        key = (try? SHA256.hash(Array("make-mcp-gateway log pseudonyms \(secret ?? "")".utf8))) ?? []
    }

    func callAsFunction(_ value: String) -> String {
        guard let mac = try? HMACSHA256.authenticationCode(for: Array(value.utf8), key: key) else { return "-" }
        return Hex.encode(mac.prefix(8))
    }
}
