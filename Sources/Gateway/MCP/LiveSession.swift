internal import Dispatch
internal import EventLoops
internal import HTTPServer
internal import MCPProtocol
internal import Stores
internal import Synchronization

/// A session this replica serves: its MCP state and the streams that reach its client.
///
/// An HTTP+SSE session has exactly one stream, opened by `GET /sse`, which carries every server-to-client message.
/// A Streamable HTTP session has a GET channel for messages that belong to no request, plus one channel per POST
/// that streams progress.
final class LiveSession: Sendable {
    enum Transport: String, Sendable {
        case legacySSE = "sse"
        case streamableHTTP = "streamable-http"
    }

    let id: String
    let transport: Transport
    let mcp: MCPSession
    /// Uptime in nanoseconds of the last request, for idle expiry.
    private let lastActivity = Atomic<UInt64>(DispatchTime.now().uptimeNanoseconds)

    private struct Streams {
        var legacy: HTTPResponseStream?
        var getChannel: EventChannel?
        /// Whether a GET stream is open (or opening); a session has at most one (mcp.md §5.3: 409).
        var isGetStreamReserved = false
        /// The connection currently attached to the GET channel, if any.
        var getConnection: HTTPResponseStream?
        var postChannels: [String: EventChannel] = [:]
        /// Registrations for deliveries from other replicas: the HTTP+SSE stream's, or the GET stream's.
        var subscription: (any SessionSubscription)?
        var isClosed = false
    }

    private let streams = Mutex(Streams())
    /// For an HTTP+SSE session whose stream is on another replica: where its messages go instead.
    ///
    /// A constant, never a closure in a `Mutex`: reading a closure out of `Mutex<Closure?>` with `withLock { $0 }`
    /// writes it back wrapped in two more reabstraction thunks (Swift 6.3), so every relayed message made the next
    /// one slower and a long-lived copy would in the end overflow the stack.
    let relay: (@Sendable (JSONRPCMessage) -> Void)?

    init(id: String, transport: Transport, mcp: MCPSession, relay: (@Sendable (JSONRPCMessage) -> Void)? = nil) {
        self.id = id
        self.transport = transport
        self.mcp = mcp
        self.relay = relay
    }

    /// Whether `principal` may use this session: a session opened by a signed-in user (`user:`) or an API key
    /// (`key:`) belongs to it alone; an anonymous one (`ip:`, loopback without authentication) to anyone who has its id.
    func isOwned(by principal: String) -> Bool {
        let owner = mcp.principal
        return owner == principal || !(owner.hasPrefix("user:") || owner.hasPrefix("key:"))
    }

    /// The stored record this copy was last brought up to, as the store returned it.
    private let appliedRecord = Mutex<[UInt8]>([])

    /// Whether `record` is the one this copy was last brought up to, so a lookup can skip parsing and applying it:
    /// applying it again would also undo a change made here whose record is still being written.
    func hasApplied(record: [UInt8]) -> Bool {
        appliedRecord.withLock { !record.isEmpty && $0.hasSameBytes(as: record) }
    }

    func recordApplied(_ record: [UInt8]) {
        appliedRecord.withLock { $0 = record }
    }

    /// When this copy was last looked up in the shared store, and the session generation read before that lookup.
    private let validation = Mutex<(generation: UInt64, uptime: UInt64)?>(nil)

    /// Records that the store had this session, with the record this copy now has, after `generation` was read.
    func markValidated(at generation: UInt64) {
        validation.withLock { $0 = (generation, DispatchTime.now().uptimeNanoseconds) }
    }

    /// Whether this copy was looked up after the store's session generation became `generation`, and less than
    /// `maximumAge` nanoseconds ago: then the session exists, unchanged, without another lookup (`SessionStore`).
    func isValidated(at generation: UInt64, maximumAge: UInt64) -> Bool {
        validation.withLock { validation in
            guard let validation, validation.generation == generation else { return false }
            return DispatchTime.now().uptimeNanoseconds &- validation.uptime < maximumAge
        }
    }

    func recordActivity() {
        lastActivity.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
    }

    /// Nanoseconds since the last request.
    var idleNanoseconds: UInt64 {
        DispatchTime.now().uptimeNanoseconds &- lastActivity.load(ordering: .relaxed)
    }

    // MARK: - HTTP+SSE

    func attachLegacyStream(_ stream: HTTPResponseStream) {
        streams.withLock { $0.legacy = stream }
    }

    /// Writes a message to the HTTP+SSE stream as an `event: message`, or relays it to the replica holding it.
    func sendOnLegacyStream(_ message: JSONRPCMessage) {
        if let stream = streams.withLock({ $0.legacy }) {
            stream.write(EventChannel.event(streamID: nil, sequence: 0, data: message.serialized()))
        } else {
            relay?(message)
        }
    }

    /// Writes a message that another replica serialized.
    func writeOnLegacyStream(serialized message: [UInt8]) {
        streams.withLock { $0.legacy }?.write(EventChannel.event(streamID: nil, sequence: 0, data: message))
    }

    /// Keeps the delivery registration for as long as the stream it feeds; ``close()`` hands it back.
    func hold(_ subscription: any SessionSubscription) {
        streams.withLock { $0.subscription = subscription }
    }

    // MARK: - Streamable HTTP

    /// The GET channel, created on first use so messages sent before the client opens its GET stream are logged.
    func getChannel(create: () -> EventChannel) -> EventChannel? {
        streams.withLock { streams in
            guard !streams.isClosed else { return nil }
            if let channel = streams.getChannel { return channel }
            let channel = create()
            streams.getChannel = channel
            return channel
        }
    }

    /// Reserves the session's one GET stream, refusing a second (409) or one past the stream cap.
    func reserveGetStream(maxStreams: Int) -> Result<Void, MCPTransportError> {
        streams.withLock { streams in
            guard !streams.isGetStreamReserved else { return .failure(.streamAlreadyOpen) }
            guard streams.postChannels.count + 1 <= maxStreams else { return .failure(.tooManyStreams(limit: maxStreams)) }
            streams.isGetStreamReserved = true
            return .success(())
        }
    }

    /// Records the connection holding the reserved GET stream, for keep-alive comments.
    func attachGetConnection(_ connection: HTTPResponseStream) {
        streams.withLock { $0.getConnection = connection }
    }

    /// The GET stream's connection ended: the slot frees and the channel keeps logging for a resume.
    ///
    /// - Returns: The delivery registration the stream held, for the caller to cancel.
    func releaseGetStream() -> (any SessionSubscription)? {
        let (channel, subscription) = streams.withLock { streams in
            streams.isGetStreamReserved = false
            streams.getConnection = nil
            defer { streams.subscription = nil }
            return (streams.getChannel, streams.subscription)
        }
        channel?.detach()
        return subscription
    }

    /// Whether this replica holds the session's GET stream now.
    var hasGetConnection: Bool { streams.withLock { $0.getConnection != nil } }

    /// Registers a POST stream's channel unless the session is at its stream cap.
    func addPostChannel(_ channel: EventChannel, maxStreams: Int) -> Bool {
        streams.withLock { streams in
            let open = streams.postChannels.count + (streams.isGetStreamReserved ? 1 : 0)
            guard !streams.isClosed, open < maxStreams else { return false }
            streams.postChannels[channel.streamID] = channel
            return true
        }
    }

    func removePostChannel(_ streamID: String) {
        streams.withLock { _ = $0.postChannels.removeValue(forKey: streamID) }
    }

    func postChannel(_ streamID: String) -> EventChannel? {
        streams.withLock { $0.postChannels[streamID] }
    }

    /// Whether any stream is open, which keeps a Streamable HTTP session from counting as idle.
    var hasOpenStream: Bool {
        streams.withLock { $0.legacy != nil || $0.isGetStreamReserved || !$0.postChannels.isEmpty }
    }

    /// Every connection a keep-alive comment should go to directly: the HTTP+SSE stream and the GET stream.
    var openConnections: [HTTPResponseStream] {
        streams.withLock { streams in
            [streams.legacy, streams.getConnection].compactMap { $0 }
        }
    }

    /// The channels of POST response streams still running. Their connections come and go with resumes, so
    /// keep-alive comments go through the channel, which knows the one attached now.
    var postStreamChannels: [EventChannel] {
        streams.withLock { Array($0.postChannels.values) }
    }

    /// Ends the session here: in-flight requests are cancelled and every stream ends.
    ///
    /// - Returns: The delivery registration the session held, for the caller to cancel.
    @discardableResult
    func close() -> (any SessionSubscription)? {
        mcp.close()
        let (legacy, channels, subscription) = streams.withLock { streams in
            streams.isClosed = true
            defer {
                streams.legacy = nil
                streams.getChannel = nil
                streams.getConnection = nil
                streams.postChannels = [:]
                streams.subscription = nil
            }
            return (streams.legacy, Array(streams.postChannels.values) + [streams.getChannel].compactMap { $0 },
                    streams.subscription)
        }
        legacy?.end()
        channels.forEach { $0.close() }
        return subscription
    }
}
