import Foundation
import TestSupport

extension GatewayProcess {
    /// The `METHOD path` of every request the access log shows, in order, up to a request made now: its line is
    /// awaited, so the lines of every request answered before it are in.
    func servedRequests() async throws -> [String] {
        let marker = "/__log-barrier-\(UUID().uuidString)"
        let connection = try await RawHTTPConnection.connect(port: port)
        try await connection.send("GET \(marker) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        _ = try await connection.readResponse()
        _ = await waitForLine { $0.contains(marker) }
        return logLines.compactMap { line in
            guard line.contains(#""msg":"request""#), !line.contains(marker),
                let method = Self.jsonField("http.method", in: line), let path = Self.jsonField("http.path", in: line)
            else { return nil }
            return "\(method) \(path)"
        }
    }
}
