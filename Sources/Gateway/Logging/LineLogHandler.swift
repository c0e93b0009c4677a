internal import Glibc
package import Logging

/// Logs each event as one line, JSON or `key=value` text, through a ``LogSink`` that keeps lines whole and in order.
///
/// Messages are constant and data lives in metadata (STYLE.md), so a JSON line is a flat object an aggregator can
/// index: `{"ts":"…","level":"info","logger":"http","msg":"request","http.status":"200",…}`. The calling thread
/// only captures the event; the line is formatted on the sink's writer thread, off the request path.
package struct LineLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level
    package var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: GatewayConfiguration.LogFormat
    private let sink: LogSink

    /// - Parameter sink: Where lines go; buffered standard output by default.
    package init(label: String, level: Logger.Level, format: GatewayConfiguration.LogFormat,
                 sink: LogSink = .standardOutput) {
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
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        sink.append(LogRecord(time: time, level: event.level, label: label, message: event.message,
                              eventMetadata: event.metadata ?? [:], providedMetadata: metadataProvider?.get() ?? [:],
                              loggerMetadata: metadata, format: format))
    }
}
