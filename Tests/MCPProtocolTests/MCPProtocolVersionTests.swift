import MCPProtocol
import Testing

@Suite("MCP protocol version")
struct MCPProtocolVersionTests {
    @Test("the supported versions are ordered oldest to newest, the newest being latest")
    func ordering() {
        #expect(
            MCPProtocolVersion.allCases.map(\.rawValue) == ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"])
        #expect(MCPProtocolVersion.allCases == MCPProtocolVersion.allCases.sorted())
        #expect(MCPProtocolVersion.v2024_11_05 < .v2025_03_26)
        #expect(MCPProtocolVersion.latest == .v2025_11_25)
        #expect(MCPProtocolVersion.allCases.max() == .latest)
    }

    @Test(
        "negotiation echoes a supported version and otherwise answers the latest",
        arguments: [
            ("2024-11-05", MCPProtocolVersion.v2024_11_05), ("2025-03-26", .v2025_03_26), ("2025-06-18", .v2025_06_18),
            ("2025-11-25", .v2025_11_25), ("2026-07-28", .latest), ("2099-01-01", .latest), ("", .latest),
            ("2025-06-18 ", .latest), ("1.0", .latest),
        ])
    func negotiation(requested: String, answered: MCPProtocolVersion) {
        #expect(MCPProtocolVersion.negotiate(requested: requested) == answered)
    }

    @Test("only 2025-03-26 allows batches", arguments: MCPProtocolVersion.allCases)
    func batching(version: MCPProtocolVersion) {
        #expect(version.allowsBatching == (version == .v2025_03_26))
    }

    @Test("the 2026 stateless revision is not a version this gateway speaks")
    func modernProbe() {
        #expect(MCPProtocolVersion(rawValue: "2026-07-28") == nil)
    }

    @Test("the supported list reads newest first, as in the probe answer")
    func supportedList() {
        #expect(MCPProtocolVersion.supportedList == "2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05")
    }
}
