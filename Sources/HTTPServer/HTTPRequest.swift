/// A complete request as handlers see it: the head, the whole body and where it came from.
package struct HTTPRequest: Sendable {
    package var head: HTTPRequestHead
    package var body: [UInt8]
    /// The request id: the client's `X-Request-Id` when it is usable, otherwise one the server generated.
    package var requestID: String
    /// The peer's IP address, as seen by this process (a proxy's address behind one).
    package var peerAddress: String
    /// What handlers in front learned about the request for the ones behind them, such as the authenticated user.
    /// Never read from the wire.
    package var attributes: [String: String] = [:]

    package init(head: HTTPRequestHead, body: [UInt8] = [], requestID: String = "test", peerAddress: String = "127.0.0.1") {
        self.head = head
        self.body = body
        self.requestID = requestID
        self.peerAddress = peerAddress
    }

    package var method: HTTPMethod { head.method }
    package var path: String { head.path }
    package var headers: HTTPHeaders { head.headers }

    /// The first value of the query parameter, percent-decoded, or nil when the parameter is absent.
    package func queryParameter(_ name: String) -> String? {
        guard let query = head.query else { return nil }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if Self.percentDecoded(parts[0]) == name {
                return parts.count > 1 ? Self.percentDecoded(parts[1]) : ""
            }
        }
        return nil
    }

    /// Every value of the query parameter, percent-decoded, in order (`scenarioId[]=1&scenarioId[]=2`).
    package func queryValues(_ name: String) -> [String] {
        guard let query = head.query else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard Self.percentDecoded(parts[0]) == name else { return nil }
            return parts.count > 1 ? Self.percentDecoded(parts[1]) : ""
        }
    }

    /// Decodes `%XX` escapes and `+` (form encoding's space); malformed escapes are kept literally.
    package static func percentDecoded(_ text: Substring) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                      let high = hexValue(iterator[iterator.startIndex]),
                      let low = hexValue(iterator[iterator.startIndex + 1]) {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
