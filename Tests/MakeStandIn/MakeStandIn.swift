import Foundation
import HTTPServer
import Logging
import ServiceLifecycle
import UnixSignals

/// A stand-in for Make.com on loopback: the Make API under `/api/v2`, Make's OAuth server under `/oauth/v2`, and a
/// control surface under `/__standin` for tests. It prints `listening on port N` once it accepts connections and
/// runs until SIGTERM or SIGINT, then drains and exits 0.
///
/// Seeded world (ids tests may rely on):
/// - organization 1 (zone = this server's `host:port`), teams 1 "Marketing" and 2 "Operations", private space 3,
///   user 1 "Ada Lovelace".
/// - scenarios: 1 "Create support ticket" (active, on-demand, finishes at once, every input type, `subject`
///   required, echoes its inputs under `received`); 2 "Generate monthly report" (active, on-demand, runs
///   `--long-run-ms`, `month` required); 3 "Sync CRM contacts" (active, every 15 min, two incomplete executions);
///   4 "Slack digest (draft)" (inactive, on-demand); 5 "Webhook intake" (team 2, webhook 1); 6 "Import invoices"
///   (team 2, active, on-demand, every run fails).
/// - folders 1–3, connections 1–4 (3 fails verification), hooks 1–2, device 1, data structures 1–2, data stores 1
///   ("Customers", 30 records `cust-001`…`cust-030`) and 2 (empty, strict), key 1, function 1, custom property
///   structure 1 with items 1–2, roles, public templates 101–102, on-prem agent, connected system, credential
///   request, custom app `stand-in-crm` version 1.
/// - API token `5b1e6a0c-3f2d-4c8a-9e71-2a4b6c8d0e1f` with every scope; OAuth client `standin-client` /
///   `standin-secret`.
@main
struct MakeStandIn {
    static func main() async {
        let settings: StandInSettings
        do {
            settings = try StandInSettings.parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            exit(error.isHelp ? 0 : 2)
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let logger = Logger(label: "make-standin")

        let world = World(WorldState.seeded(zone: settings.zone ?? "", longRunDuration: settings.longRunDuration))
        let handler = StandInHandler(settings: settings, world: world)
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(
                host: settings.host, port: settings.port,
                drainTimeout: .seconds(2)),
            handler: handler, logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await withThrowingDiscardingTaskGroup { tasks in
                tasks.addTask { try await group.run() }
                let port = try await server.waitUntilListening()
                // The zone is this server's own address, known only now; nobody has called yet (tests wait for
                // the line below), so the world is simply seeded again.
                world.reset(
                    zone: settings.zone ?? "\(settings.host):\(port)",
                    longRunDuration: settings.longRunDuration)
                FileHandle.standardOutput.write(Data("listening on port \(port)\n".utf8))
            }
        } catch {
            logger.error("stand-in failed", metadata: ["error": "\(error)"])
            exit(1)
        }
    }
}
