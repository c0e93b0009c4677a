/// Who a request is acting as: the credential's scheme and scopes. Every credential belongs to user 1 of
/// organization 1.
struct Principal: Sendable {
    var scheme: String
    var scopes: Set<String>
}
