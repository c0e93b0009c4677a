package import HTTPServer
package import Logging
internal import ServiceLifecycle
internal import UnixSignals

/// The assembled gateway: routes, server and the services they run on, from one ``GatewayConfiguration``.
package final class Gateway: Sendable {
    package let configuration: GatewayConfiguration
    package let server: HTTPServer
    package let readiness: ReadinessMonitor
    private let logger: Logger

    package init(configuration: GatewayConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        let readiness = ReadinessMonitor()
        self.readiness = readiness
        var router = HTTPRouter()
        HealthRoutes.add(to: &router, readiness: readiness)
        var httpLogger = logger
        httpLogger[metadataKey: "component"] = "http"
        server = HTTPServer(configuration: configuration.httpServer, handler: router, logger: httpLogger,
                            onDrainStart: { readiness.beginDraining() })
    }

    /// The paths the gateway serves, for the start-up message.
    package static let endpoints = ["/health/live", "/health/ready"]

    /// Runs until SIGTERM or SIGINT, then drains and returns.
    package func run() async throws {
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: server)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        // The server closes what is left at its own drain deadline; this is the backstop.
        groupConfiguration.maximumGracefulShutdownDuration = configuration.drainTimeout + .seconds(5)
        let group = ServiceGroup(configuration: groupConfiguration)
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            let port = try await server.waitUntilListening()
            var metadata = configuration.redactedSummary
            metadata["http.port"] = "\(port)"
            metadata["http.url"] = "\(configuration.effectivePublicURL)"
            metadata["http.endpoints"] = "\(Self.endpoints.joined(separator: " "))"
            logger.notice("listening", metadata: metadata)
        }
        logger.notice("stopped")
    }
}
