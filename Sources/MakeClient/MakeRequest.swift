/// One call to the Make API, relative to a zone's base URL.
package struct MakeRequest: Sendable {
    package var method: String
    /// Starts with `/`, path values already percent-encoded.
    package var path: String
    /// In order; bracketed keys (`pg[limit]`, `cols[]`) are encoded when the URL is built.
    package var query: [(name: String, value: String)]
    package var body: [UInt8]?
    package var contentType: String?
    /// Whether repeating the call cannot do harm; only these are retried after a transient failure.
    package var isIdempotent: Bool
    /// Extra headers, such as `traceparent`; never credentials (those come from ``MakeAuthorization``).
    package var headers: [(name: String, value: String)] = []

    package init(method: String, path: String, query: [(name: String, value: String)] = [], body: [UInt8]? = nil,
                 contentType: String? = nil, isIdempotent: Bool? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.contentType = contentType
        self.isIdempotent = isIdempotent ?? ["GET", "HEAD", "PUT", "DELETE"].contains(method)
    }

    /// The query string, each name and value percent-encoded (`pg%5Blimit%5D=10`).
    package var queryString: String {
        query.map { "\(Self.encode($0.name))=\(Self.encode($0.value))" }.joined(separator: "&")
    }

    /// RFC 3986 percent-encoding of everything but unreserved characters.
    package static func encode(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return encoded
    }
}

/// A successful (below 400) answer from Make.
package struct MakeResponse: Sendable {
    package var status: Int
    package var body: [UInt8]
    package var contentType: String?

    package init(status: Int, body: [UInt8], contentType: String?) {
        self.status = status
        self.body = body
        self.contentType = contentType
    }
}
