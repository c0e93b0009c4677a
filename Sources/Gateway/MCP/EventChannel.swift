internal import HTTPServer
internal import Logging
internal import MCPProtocol
internal import Stores

/// One resumable server-to-client stream of a Streamable HTTP session: the session's GET stream, or the stream of
/// one POST request that reports progress.
///
/// Every message is appended to the stream's log in the session store before it is written, and carries the id
/// `<stream>-<sequence>`. A client that loses the connection reconnects with `GET` and `Last-Event-ID`; the channel
/// replays what it missed from the log and carries on, on the new connection (MCP 2025-03-26 §Resumability).
///
/// Commands run one at a time in the channel's own task, so log order and wire order are the same.
final class EventChannel: Sendable {
    /// The stream's name within its session: `g` for the GET stream, random hex for a POST stream.
    let streamID: String
    private let logName: String
    private let commands: AsyncStream<Command>.Continuation

    private enum Command {
        case message([UInt8], isFinal: Bool)
        /// Ends the stream with no further message: the request was cancelled.
        case finish
        case attach(HTTPResponseStream, after: UInt64?, priming: Bool)
        case detach
        case comment([UInt8])
    }

    /// - Parameters:
    ///   - onFinished: Runs after the final message has been logged and written (POST streams).
    init(sessionID: String, streamID: String, store: any SessionStore, limits: EventChannelLimits, logger: Logger,
         onFinished: @escaping @Sendable () -> Void = {}) {
        self.streamID = streamID
        let logName = "\(sessionID)/\(streamID)"
        self.logName = logName
        let (stream, continuation) = AsyncStream.makeStream(of: Command.self)
        commands = continuation
        // Owned by the channel: the task ends when ``close()`` finishes the command stream.
        Task {
            var current: HTTPResponseStream?
            var isComplete = false
            func complete() {
                isComplete = true
                current?.end()
                current = nil
                onFinished()
            }
            for await command in stream {
                switch command {
                case .message(let data, let isFinal):
                    do {
                        let sequence = try await store.appendEvent(
                            stream: logName, data: data, limit: limits.maxEvents, ttl: limits.ttl,
                            isDelivered: current?.isActive == true)
                        current?.write(Self.event(streamID: streamID, sequence: sequence, data: data))
                    } catch {
                        logger.warning("event log unavailable; sending without id",
                                       metadata: ["error": "\(error)", "mcp.stream": "\(streamID)"])
                        current?.write(Self.event(streamID: nil, sequence: 0, data: data))
                    }
                    if isFinal { complete() }
                case .finish:
                    guard !isComplete else { break }
                    // An empty event marks the end in the log, so a follower of this stream on another replica,
                    // waiting for a response that will never come, ends its stream too.
                    _ = try? await store.appendEvent(stream: logName, data: Self.endMarker, limit: limits.maxEvents,
                                                     ttl: limits.ttl, isDelivered: true)
                    complete()
                case .attach(let stream, let after, let priming):
                    if current !== stream { current?.end() }
                    current = stream
                    // Without Last-Event-ID: whatever no connection, here or on another replica, was given yet.
                    let (resumeAfter, missed) =
                        if let after {
                            (after, (try? await store.events(stream: logName, after: after)) ?? [])
                        } else {
                            (try? await store.takeUndeliveredEvents(stream: logName)) ?? (0, [])
                        }
                    if priming {
                        // An id with empty data: a resume point before any message (MCP 2025-11-25 §Streamable HTTP).
                        stream.write(Array("id: \(streamID)-\(resumeAfter)\ndata: \n\n".utf8))
                    }
                    for event in missed where event.data != Self.endMarker {
                        stream.write(Self.event(streamID: streamID, sequence: event.sequence, data: event.data))
                    }
                    if isComplete {
                        stream.end()
                        current = nil
                    }
                case .detach:
                    if current?.isActive == false { current = nil }
                case .comment(let bytes):
                    current?.write(bytes)
                }
            }
            current?.end()
        }
    }

    /// Logs and sends a message; `isFinal` ends the stream after it (the response of a POST stream).
    func send(_ message: JSONRPCMessage, isFinal: Bool = false) {
        commands.yield(.message(message.serialized(), isFinal: isFinal))
    }

    /// Logs and sends a message that arrived already serialized (from another replica).
    func send(serialized data: [UInt8]) {
        commands.yield(.message(data, isFinal: false))
    }

    /// Ends the stream without a message for its request, which was cancelled: the receiver of a cancellation sends
    /// no response (MCP §Cancellation), not even the -32800 error mcp 2.3.0 writes (mcp.md §3.7). A client that
    /// resumes the stream later gets what was logged before, then the end.
    func finish() {
        commands.yield(.finish)
    }

    /// Writes a comment line to the attached connection, if any, so proxies keep a quiet stream open. Through the
    /// channel's own task, so it never lands in the middle of a replay.
    func keepAlive(_ comment: [UInt8]) {
        commands.yield(.comment(comment))
    }

    /// Makes `stream` the connection this channel writes to, after replaying what was logged after `sequence`, or,
    /// when the client named no event, what no connection was given yet.
    func attach(_ stream: HTTPResponseStream, after sequence: UInt64?, priming: Bool) {
        commands.yield(.attach(stream, after: sequence, priming: priming))
    }

    /// The client's connection went away; messages keep being logged for a later resume.
    func detach() {
        commands.yield(.detach)
    }

    /// Ends the channel and any attached connection.
    func close() {
        commands.finish()
    }

    /// The log entry of a stream that ended without a response (its request was cancelled): never sent to a client.
    static let endMarker: [UInt8] = []

    /// `id: <stream>-<sequence>`, `event: message` and the JSON on one `data:` line (compact JSON has no newlines).
    static func event(streamID: String?, sequence: UInt64, data: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(data.count + 48)
        if let streamID {
            bytes.append(contentsOf: "id: \(streamID)-\(sequence)\n".utf8)
        }
        bytes.append(contentsOf: "event: message\ndata: ".utf8)
        bytes.append(contentsOf: data)
        bytes.append(contentsOf: "\n\n".utf8)
        return bytes
    }

    /// Splits a `Last-Event-ID` into its stream and sequence; nil when it is not one of ours.
    static func parseEventID(_ text: String) -> (streamID: String, sequence: UInt64)? {
        guard let dash = text.lastIndex(of: "-"), let sequence = UInt64(text[text.index(after: dash)...]) else {
            return nil
        }
        let streamID = String(text[..<dash])
        guard !streamID.isEmpty, streamID.utf8.count <= 32 else { return nil }
        return (streamID, sequence)
    }
}

/// How much a channel's log keeps, and for how long.
struct EventChannelLimits: Sendable {
    var maxEvents: Int
    var ttl: Duration
}
