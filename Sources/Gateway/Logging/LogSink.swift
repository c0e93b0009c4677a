internal import Dispatch
internal import Glibc
internal import Synchronization

/// Where log records go: a queue that one writer thread formats and writes to a file descriptor.
///
/// Formatting a line and one `write(2)` per line cost more than serving a health probe, so the logging thread only
/// captures a ``LogRecord``; the writer formats records in order and writes them in batches, when 256 have gathered
/// or 50 ms have passed. Lines are never interleaved or reordered. ``flush()`` writes what is pending at once; the
/// executable calls it before exiting. Tests read lines back with ``capturing()``.
package final class LogSink: Sendable {
    private let fd: Int32?
    private let queue = DispatchQueue(label: "log.writer")
    private let pending = Mutex<(records: [LogRecord], isFlushScheduled: Bool)>(([], false))
    private let captured = Mutex<[[UInt8]]>([])
    private static let batchSize = 256

    /// - Parameter fd: The descriptor to write to; nil keeps lines in memory for ``capturedLines``.
    package init(fd: Int32?) {
        self.fd = fd
    }

    /// Standard output, shared by every logger of the process.
    package static let standardOutput = LogSink(fd: STDOUT_FILENO)

    /// A sink that keeps its lines in memory, for tests.
    package static func capturing() -> LogSink { LogSink(fd: nil) }

    /// The lines written so far by a capturing sink, each ending in a newline. Call ``flush()`` first.
    package var capturedLines: [String] {
        captured.withLock { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    func append(_ record: LogRecord) {
        let action = pending.withLock { pending -> (flushNow: Bool, schedule: Bool) in
            pending.records.append(record)
            let schedule = !pending.isFlushScheduled
            pending.isFlushScheduled = true
            return (pending.records.count == Self.batchSize, schedule)
        }
        if action.flushNow {
            queue.async { self.writePending() }
        } else if action.schedule {
            queue.asyncAfter(deadline: .now() + .milliseconds(50)) { self.writePending() }
        }
    }

    /// Writes everything pending before returning.
    package func flush() {
        queue.sync { writePending() }
    }

    /// Runs on `queue` only, so records are written in the order they were logged.
    private func writePending() {
        let records = pending.withLock { pending -> [LogRecord] in
            pending.isFlushScheduled = false
            defer { pending.records = [] }
            return pending.records
        }
        guard !records.isEmpty else { return }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(records.count * 200)
        for record in records {
            let start = bytes.count
            record.append(to: &bytes)
            if fd == nil { captured.withLock { $0.append(Array(bytes[start...])) } }
        }
        guard let fd else { return }
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
