/// The syslog severities MCP logging uses (RFC 5424 order), least severe first.
package enum MCPLogLevel: String, CaseIterable, Comparable, Sendable {
    case debug
    case info
    case notice
    case warning
    case error
    case critical
    case alert
    case emergency

    package static func < (lhs: MCPLogLevel, rhs: MCPLogLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
