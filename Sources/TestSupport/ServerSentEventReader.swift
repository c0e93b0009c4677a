/// Reads Server-Sent Events from a chunked streaming response on a ``RawHTTPConnection``, after its head was read.
package final class ServerSentEventReader: @unchecked Sendable {
    /// One event as the WHATWG rules assemble it; `comments` holds comment lines seen before it.
    package struct Event: Sendable, Equatable {
        package var id: String?
        package var event: String?
        package var data: String
        package var comments: [String]
    }

    private let connection: RawHTTPConnection
    /// Bytes of the stream not yet split into events. Used by one test task at a time.
    private var pending: [UInt8] = []

    package init(_ connection: RawHTTPConnection) {
        self.connection = connection
    }

    /// The next event, or nil when the stream ended.
    package func next() async throws -> Event? {
        var comments: [String] = []
        var id: String?
        var event: String?
        var dataLines: [String]?
        while true {
            guard let line = try await nextLine() else { return nil }
            if line.isEmpty {
                if let dataLines { return Event(id: id, event: event, data: dataLines.joined(separator: "\n"),
                                                comments: comments) }
                if id != nil || event != nil || !comments.isEmpty {
                    return Event(id: id, event: event, data: "", comments: comments)
                }
                continue
            }
            if line.hasPrefix(":") {
                comments.append(String(line.dropFirst()).trimmingPrefixSpace)
                continue
            }
            let (field, value) = Self.split(line)
            switch field {
            case "id": id = value
            case "event": event = value
            case "data": dataLines = (dataLines ?? []) + [value]
            default: break
            }
        }
    }

    /// The next event that is not only comments, skipping keep-alives.
    package func nextMessage() async throws -> Event? {
        while let event = try await next() {
            if event.event != nil || !event.data.isEmpty || event.id != nil { return event }
        }
        return nil
    }

    private static func split(_ line: String) -> (String, String) {
        guard let colon = line.firstIndex(of: ":") else { return (line, "") }
        return (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingPrefixSpace)
    }

    private func nextLine() async throws -> String? {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(pending[..<newline])
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                pending.removeFirst(newline + 1)
                return String(decoding: line, as: UTF8.self)
            }
            guard let chunk = try await connection.readChunk() else { return nil }
            pending += chunk
        }
    }
}

extension String {
    fileprivate var trimmingPrefixSpace: String {
        hasPrefix(" ") ? String(dropFirst()) : self
    }
}
