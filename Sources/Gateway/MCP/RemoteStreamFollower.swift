internal import HTTPServer
internal import MCPProtocol
internal import Stores

/// The resumption, on this replica, of a POST stream whose request runs on another replica or has finished: the
/// client reconnected with `Last-Event-ID` and the load balancer sent it here (MCP 2025-03-26 §Resumability).
///
/// It replays what the stream's log holds after the client's event, then, with a shared store, writes what the
/// running replica appends from then on (the store forwards each event here), until the response, which ends the
/// stream as it would have on the original connection. It registers for those events before reading the log, so
/// an event appended meanwhile is in the log or forwarded (both, at worst; sequence numbers drop the repeat).
final class RemoteStreamFollower: Sendable {
    private let events: AsyncStream<StoredEvent>
    private let feed: AsyncStream<StoredEvent>.Continuation

    init() {
        (events, feed) = AsyncStream.makeStream(of: StoredEvent.self)
    }

    /// The client's connection ended: stop following.
    func stop() {
        feed.finish()
    }

    /// Follows `sessionID`'s stream `streamID` from after `sequence` onto `connection`, then ends it.
    func run(sessionID: String, streamID: String, after sequence: UInt64, store: any SessionStore, ttl: Duration,
             to connection: HTTPResponseStream) async
    {
        let logName = "\(sessionID)/\(streamID)"
        let feed = self.feed
        // Without a shared store the request ran here and its channel is gone: the log holds all there will be.
        let subscription = store.isShared
            ? try? await store.subscribe(stream: logName, ttl: ttl) { feed.yield($0) } : nil
        var written = sequence
        var isComplete = false
        for event in (try? await store.events(stream: logName, after: sequence)) ?? [] {
            written = event.sequence
            if write(event, streamID: streamID, to: connection) {
                isComplete = true
                break
            }
        }
        if subscription != nil, !isComplete {
            for await event in events where event.sequence > written {
                written = event.sequence
                if write(event, streamID: streamID, to: connection) { break }
            }
        }
        await subscription?.cancel()
        connection.end()
    }

    /// Writes one event; true when it was the response, the stream's last message, or the end marker of a stream
    /// whose request was cancelled, which ends it without a message.
    private func write(_ event: StoredEvent, streamID: String, to connection: HTTPResponseStream) -> Bool {
        if event.data == EventChannel.endMarker { return true }
        connection.write(EventChannel.event(streamID: streamID, sequence: event.sequence, data: event.data))
        switch try? JSONRPCMessage.parse(bytes: event.data, maxDepth: Self.maxDepth) {
        case .response, .encodedResponse, .errorResponse: return true
        default: return false
        }
    }

    /// Our own serializer wrote these messages; the depth only bounds the parse.
    private static let maxDepth = 512
}
