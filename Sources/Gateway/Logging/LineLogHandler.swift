internal import Glibc
internal import HTTPServer
package import Logging

/// Writes each log event as one line, JSON or `key=value` text, with a single `write(2)` so lines from concurrent
/// threads never interleave.
///
/// Messages are constant and data lives in metadata (STYLE.md), so a JSON line is a flat object an aggregator can
/// index: `{"ts":"…","level":"info","logger":"http","msg":"request","http.status":"200",…}`.
package struct LineLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level
    package var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: GatewayConfiguration.LogFormat
    private let sink: @Sendable ([UInt8]) -> Void

    /// - Parameter sink: Receives each finished line; standard output by default.
    package init(
        label: String, level: Logger.Level, format: GatewayConfiguration.LogFormat,
        sink: @escaping @Sendable ([UInt8]) -> Void = LineLogHandler.writeToStandardOutput
    ) {
        self.label = label
        logLevel = level
        self.format = format
        self.sink = sink
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let eventMetadata = event.metadata { merged.merge(eventMetadata) { $1 } }
        let timestamp = Self.timestamp()
        var line: [UInt8] = []
        line.reserveCapacity(256)
        switch format {
        case .json:
            line.append(contentsOf: #"{"ts":"#.utf8)
            JSONText.appendString(timestamp, to: &line)
            line.append(contentsOf: #","level":"#.utf8)
            JSONText.appendString(event.level.rawValue, to: &line)
            line.append(contentsOf: #","logger":"#.utf8)
            JSONText.appendString(label, to: &line)
            line.append(contentsOf: #","msg":"#.utf8)
            JSONText.appendString(event.message.description, to: &line)
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
                line.append(UInt8(ascii: ","))
                JSONText.appendString(key, to: &line)
                line.append(UInt8(ascii: ":"))
                JSONText.appendString(value.description, to: &line)
            }
            line.append(UInt8(ascii: "}"))
        case .text:
            line.append(contentsOf: "\(timestamp) \(event.level.rawValue.uppercased()) \(label): \(event.message)".utf8)
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
                line.append(contentsOf: " \(key)=".utf8)
                let text = value.description
                if text.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) || text.isEmpty {
                    JSONText.appendString(text, to: &line)
                } else {
                    line.append(contentsOf: text.utf8)
                }
            }
        }
        line.append(UInt8(ascii: "\n"))
        sink(line)
    }

    /// One `write(2)` per line; a short write (a full pipe) is completed rather than dropped.
    package static let writeToStandardOutput: @Sendable ([UInt8]) -> Void = { line in
        line.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// RFC 3339 UTC with milliseconds.
    private static func timestamp() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))T"
            + "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2))."
            + "\(pad(spec.tv_nsec / 1_000_000, 3))Z"
    }
}
