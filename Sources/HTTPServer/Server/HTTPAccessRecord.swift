/// What the access log says about one request. The server logs it as the single metadata value `http` of a
/// `request` event; handlers that know the type write its fields directly, others print its description.
package struct HTTPAccessRecord: Sendable, CustomStringConvertible {
    package var method: String
    /// The path without the query string, which may carry secrets.
    package var path: String
    package var status: Int
    package var bodyBytes: Int
    package var durationNanoseconds: UInt64
    package var requestID: String

    package init(method: String, path: String, status: Int, bodyBytes: Int, durationNanoseconds: UInt64,
                 requestID: String) {
        self.method = method
        self.path = path
        self.status = status
        self.bodyBytes = bodyBytes
        self.durationNanoseconds = durationNanoseconds
        self.requestID = requestID
    }

    /// `1.234`: milliseconds with three decimals, by integer arithmetic.
    package var durationMilliseconds: String {
        let microseconds = durationNanoseconds / 1000
        let fraction = microseconds % 1000
        let padding = fraction < 10 ? "00" : fraction < 100 ? "0" : ""
        return String(microseconds / 1000) + "." + padding + String(fraction)
    }

    package var description: String {
        "\(method) \(path) \(status) \(bodyBytes) bytes \(durationMilliseconds) ms request \(requestID)"
    }

    /// The fields as JSON members, each preceded by a comma: `,"http.method":"GET",…`, in a fixed order.
    package func appendJSONMembers(to bytes: inout [UInt8]) {
        bytes.append(contentsOf: #","http.method":"#.utf8)
        JSONText.appendString(method, to: &bytes)
        bytes.append(contentsOf: #","http.path":"#.utf8)
        JSONText.appendString(path, to: &bytes)
        bytes.append(contentsOf: #","http.status":""#.utf8)
        bytes.append(contentsOf: String(status).utf8)
        bytes.append(contentsOf: #"","http.bytes":""#.utf8)
        bytes.append(contentsOf: String(bodyBytes).utf8)
        bytes.append(contentsOf: #"","duration_ms":""#.utf8)
        bytes.append(contentsOf: durationMilliseconds.utf8)
        bytes.append(contentsOf: #"","request.id":"#.utf8)
        JSONText.appendString(requestID, to: &bytes)
    }

    /// The fields as ` key=value` pairs for text logs, in the same order.
    package func appendTextPairs(to bytes: inout [UInt8]) {
        bytes.append(contentsOf: " http.method=\(method) http.path=".utf8)
        if path.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) {
            JSONText.appendString(path, to: &bytes)
        } else {
            bytes.append(contentsOf: path.utf8)
        }
        bytes.append(contentsOf: (" http.status=\(status) http.bytes=\(bodyBytes) duration_ms=\(durationMilliseconds)"
            + " request.id=\(requestID)").utf8)
    }
}
