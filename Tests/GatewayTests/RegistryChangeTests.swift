import Gateway
import HTTPServer
import Logging
import MCPProtocol
import ServiceLifecycleTestKit
import TestSupport
import Testing

@Suite("Registry changes reach open sessions", .timeLimit(.minutes(1)))
struct RegistryChangeTests {
    @Test("replacing a tool sends tools/list_changed and resources/updated to a subscriber of its definition")
    func listChangedAndResourceUpdated() async throws {
        var configuration = GatewayConfiguration()
        configuration.port = 0
        let gateway = try Gateway(configuration: configuration, logger: Logger(label: "test"))
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await gateway.run(handlesSignals: false) }
                let port = try await gateway.server.waitUntilListening()
                let session = try await LegacySession.open(port: port)
                try await session.initialize()
                try await session.post(#"{"jsonrpc":"2.0","id":1,"method":"resources/subscribe","params":{"uri":"gateway://tools/extra"}}"#)
                #expect(try await session.nextMessage() == #"{"jsonrpc":"2.0","id":1,"result":{}}"#)

                gateway.registry.add(try MCPTool(name: "extra", description: "added at run time",
                                                 inputSchema: ["type": "object"]) { _, _ in .text("extra") })
                #expect(try await session.nextMessage() == #"{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}"#)
                #expect(try await session.nextMessage()
                    == #"{"jsonrpc":"2.0","method":"notifications/resources/updated","params":{"uri":"gateway://tools/extra"}}"#)
                try await session.post(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"extra"}}"#)
                #expect(try await session.nextMessage().contains(#""text":"extra""#))
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    @Test("after resources/unsubscribe a change still sends tools/list_changed, but no resources/updated")
    func unsubscribeStopsUpdates() async throws {
        var configuration = GatewayConfiguration()
        configuration.port = 0
        let gateway = try Gateway(configuration: configuration, logger: Logger(label: "test"))
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await gateway.run(handlesSignals: false) }
                let port = try await gateway.server.waitUntilListening()
                let session = try await LegacySession.open(port: port)
                try await session.initialize()
                let tool = try MCPTool(name: "extra", description: "added at run time",
                                       inputSchema: ["type": "object"]) { _, _ in .text("extra") }
                try await session.post(#"{"jsonrpc":"2.0","id":1,"method":"resources/subscribe","params":{"uri":"gateway://tools/extra"}}"#)
                #expect(try await session.nextMessage() == #"{"jsonrpc":"2.0","id":1,"result":{}}"#)
                gateway.registry.add(tool)
                #expect(try await session.nextMessage() == #"{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}"#)
                #expect(try await session.nextMessage()
                    == #"{"jsonrpc":"2.0","method":"notifications/resources/updated","params":{"uri":"gateway://tools/extra"}}"#)

                try await session.post(#"{"jsonrpc":"2.0","id":2,"method":"resources/unsubscribe","params":{"uri":"gateway://tools/extra"}}"#)
                #expect(try await session.nextMessage() == #"{"jsonrpc":"2.0","id":2,"result":{}}"#)
                // Both notifications are sent while the registry changes, before the ping is posted: had the update
                // been sent, it would come before the ping's answer.
                gateway.registry.add(tool)
                #expect(try await session.nextMessage() == #"{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}"#)
                try await session.post(#"{"jsonrpc":"2.0","id":3,"method":"ping"}"#)
                #expect(try await session.nextMessage() == #"{"jsonrpc":"2.0","id":3,"result":{}}"#)
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }
}
