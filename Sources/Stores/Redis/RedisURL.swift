/// Where and how to connect, parsed from `REDIS_URL`: `redis://[user:password@]host:port/db` or
/// `unix:///path.sock[?db=N]`. The password is kept out of every textual form.
package struct RedisURL: Sendable, CustomStringConvertible {
    package enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    package var endpoint: Endpoint
    package var username: String?
    /// Sent with AUTH; never logged.
    package var password: String?
    package var database: Int

    /// - Returns: nil when `text` is not a Redis URL of either form.
    package init?(_ text: String) {
        if text.hasPrefix("unix://") {
            var rest = Substring(text.dropFirst("unix://".count))
            var database = 0
            if let question = rest.firstIndex(of: "?") {
                let query = rest[rest.index(after: question)...]
                rest = rest[..<question]
                for pair in query.split(separator: "&") where pair.hasPrefix("db=") {
                    guard let value = Int(pair.dropFirst(3)), value >= 0 else { return nil }
                    database = value
                }
            }
            guard rest.hasPrefix("/"), rest.count > 1 else { return nil }
            endpoint = .unix(path: String(rest))
            self.database = database
            return
        }
        guard text.hasPrefix("redis://") else { return nil }
        var rest = Substring(text.dropFirst("redis://".count))
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                let user = credentials[..<colon]
                username = user.isEmpty ? nil : Self.percentDecoded(user)
                password = Self.percentDecoded(credentials[credentials.index(after: colon)...])
            } else if !credentials.isEmpty {
                password = Self.percentDecoded(credentials)
            }
        }
        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !path.isEmpty {
                guard let value = Int(path), value >= 0 else { return nil }
                database = value
            }
        }
        var host = rest
        var port = 6379
        if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
            guard let value = Int(rest[rest.index(after: colon)...]), (1...65535).contains(value) else { return nil }
            port = value
            host = rest[..<colon]
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty else { return nil }
        endpoint = .tcp(host: String(host), port: port)
        self.database = database
    }

    package init(endpoint: Endpoint, username: String? = nil, password: String? = nil, database: Int = 0) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
    }

    /// The URL without its password.
    package var description: String {
        let credentials = username.map { "\($0):<redacted>@" } ?? (password == nil ? "" : ":<redacted>@")
        switch endpoint {
        case .tcp(let host, let port): return "redis://\(credentials)\(host):\(port)/\(database)"
        case .unix(let path): return "unix://\(path)?db=\(database)"
        }
    }

    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
               let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
