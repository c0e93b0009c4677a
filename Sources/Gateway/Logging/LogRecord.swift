internal import Glibc
internal import HTTPServer
internal import Logging
internal import Synchronization

/// One log event as captured on the thread that logged it: cheap to take, formatted later on the writer's thread.
struct LogRecord: Sendable {
    var time: timespec
    var level: Logger.Level
    var label: String
    var message: Logger.Message
    var eventMetadata: Logger.Metadata
    var providedMetadata: Logger.Metadata
    var loggerMetadata: Logger.Metadata
    var format: GatewayConfiguration.LogFormat

    /// Appends the record as one line: a flat JSON object, or `time LEVEL label: message key=value…`.
    /// Event metadata wins over the provider's, which wins over the logger's.
    func append(to line: inout [UInt8]) {
        let timestamp = Self.timestamp(time)
        var fields: [(key: String, value: Logger.MetadataValue)] = Array(eventMetadata)
        for entry in providedMetadata where eventMetadata[entry.key] == nil { fields.append(entry) }
        for entry in loggerMetadata where eventMetadata[entry.key] == nil && providedMetadata[entry.key] == nil {
            fields.append(entry)
        }
        if fields.count > 1 { fields.sort { $0.key < $1.key } }
        switch format {
        case .json:
            line.append(contentsOf: #"{"ts":"#.utf8)
            JSONText.appendString(timestamp, to: &line)
            line.append(contentsOf: #","level":"#.utf8)
            JSONText.appendString(level.rawValue, to: &line)
            line.append(contentsOf: #","logger":"#.utf8)
            JSONText.appendString(label, to: &line)
            line.append(contentsOf: #","msg":"#.utf8)
            JSONText.appendString(message.description, to: &line)
            for (key, value) in fields {
                if case .stringConvertible(let convertible) = value, let access = convertible as? HTTPAccessRecord {
                    access.appendJSONMembers(to: &line)
                    continue
                }
                line.append(UInt8(ascii: ","))
                JSONText.appendString(key, to: &line)
                line.append(UInt8(ascii: ":"))
                JSONText.appendString(value.description, to: &line)
            }
            line.append(UInt8(ascii: "}"))
        case .text:
            line.append(contentsOf: "\(timestamp) \(level.rawValue.uppercased()) \(label): \(message)".utf8)
            for (key, value) in fields {
                if case .stringConvertible(let convertible) = value, let access = convertible as? HTTPAccessRecord {
                    access.appendTextPairs(to: &line)
                    continue
                }
                line.append(contentsOf: " \(key)=".utf8)
                let text = value.description
                if text.isEmpty || text.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) {
                    JSONText.appendString(text, to: &line)
                } else {
                    line.append(contentsOf: text.utf8)
                }
            }
        }
        line.append(UInt8(ascii: "\n"))
    }

    /// RFC 3339 UTC with milliseconds. The part up to the seconds changes once a second and is cached.
    private static func timestamp(_ time: timespec) -> String {
        let prefix = cachedSecond.withLock { cache -> String in
            if cache.second == time.tv_sec { return cache.text }
            var seconds = time.tv_sec
            var parts = tm()
            gmtime_r(&seconds, &parts)
            func pad(_ value: Int32, _ width: Int) -> String {
                let digits = String(value)
                return String(repeating: "0", count: max(0, width - digits.count)) + digits
            }
            let text = "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
                + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            cache = (time.tv_sec, text)
            return text
        }
        let milliseconds = time.tv_nsec / 1_000_000
        let digits: [UInt8] = [UInt8(48 + milliseconds / 100), UInt8(48 + milliseconds / 10 % 10),
                               UInt8(48 + milliseconds % 10), UInt8(ascii: "Z")]
        return prefix + String(decoding: digits, as: UTF8.self)
    }

    private static let cachedSecond = Mutex<(second: Int, text: String)>((-1, ""))
}
