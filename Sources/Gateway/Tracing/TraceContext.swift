/// A W3C Trace Context (`traceparent: 00-<trace id>-<parent span id>-<flags>`), taken from an HTTP header or an MCP
/// request's `_meta.traceparent`, carried into Make calls and log lines, and the parent of the spans the gateway
/// records. The current one travels as a task-local value, so it reaches every call a request makes.
struct TraceContext: Sendable, Equatable {
    /// 32 lowercase hex digits.
    var traceID: String
    /// 16 lowercase hex digits: the span this context's holder runs in.
    var spanID: String
    var isSampled: Bool

    @TaskLocal static var current: TraceContext?

    /// Parses a `traceparent` value (W3C Trace Context §3.2): version 00, non-zero ids, lowercase hex.
    init?(traceparent: String) {
        let parts = traceparent.split(separator: "-", omittingEmptySubsequences: false)
        // Version 00 has exactly four fields; a later version may add more, which are ignored (§3.2.4).
        guard parts.count >= 4, parts[0].count == 2, parts[0] != "ff", parts[0] != "00" || parts.count == 4,
              parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
              parts[0...3].allSatisfy({ $0.allSatisfy(Self.isLowercaseHex) }),
              parts[1].contains(where: { $0 != "0" }), parts[2].contains(where: { $0 != "0" }),
              let flags = UInt8(parts[3], radix: 16)
        else { return nil }
        traceID = String(parts[1])
        spanID = String(parts[2])
        isSampled = flags & 1 == 1
    }

    init(traceID: String, spanID: String, isSampled: Bool) {
        self.traceID = traceID
        self.spanID = spanID
        self.isSampled = isSampled
    }

    /// A new trace, for a request that came without one.
    static func root() -> TraceContext {
        TraceContext(traceID: TraceIDGenerator.traceID(), spanID: newSpanID(), isSampled: true)
    }

    /// The context of a child span of this one.
    func child() -> TraceContext {
        TraceContext(traceID: traceID, spanID: Self.newSpanID(), isSampled: isSampled)
    }

    var traceparent: String { "00-\(traceID)-\(spanID)-\(isSampled ? "01" : "00")" }

    static func newSpanID() -> String {
        TraceIDGenerator.spanID()
    }

    private static func isLowercaseHex(_ character: Character) -> Bool {
        ("0"..."9").contains(character) || ("a"..."f").contains(character)
    }
}
