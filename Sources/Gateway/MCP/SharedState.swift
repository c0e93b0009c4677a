internal import MCPProtocol

/// What one replica broadcasts to the others about a session: its record changed (a copy served elsewhere adopts
/// the client's new choices), or the client cancelled a request, which may run on any replica.
enum SharedState: Sendable, Equatable {
    /// The session's record as just written.
    case record([UInt8])
    case cancel(JSONRPCID)

    /// Reads a broadcast; nil for anything else.
    init?(_ bytes: [UInt8]) {
        guard let value = try? JSONParser.parse(bytes) else { return nil }
        if let record = value["record"], record.objectValue != nil {
            self = .record(record.serialized())
        } else if let id = value["cancel"].flatMap(JSONRPCID.init) {
            self = .cancel(id)
        } else {
            return nil
        }
    }

    /// `{"record":{…}}` or `{"cancel":<request id>}`.
    var bytes: [UInt8] {
        switch self {
        case .record(let record):
            Array(#"{"record":"#.utf8) + record + [UInt8(ascii: "}")]
        case .cancel(let id):
            JSONValue.object(["cancel": id.jsonValue]).serialized()
        }
    }
}
