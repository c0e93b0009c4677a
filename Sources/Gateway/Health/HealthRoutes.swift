package import HTTPServer

/// `/health/live` and `/health/ready`, for orchestrator probes and load balancers.
package enum HealthRoutes {
    /// Adds both probes to the router. Liveness says only that the process serves; readiness also covers
    /// dependencies and drain, and names what fails.
    package static func add(to router: inout HTTPRouter, readiness: ReadinessMonitor) {
        router.add(.get, "/health/live", handler: ClosureHandler { _ in
            .json(.ok, Array(#"{"status":"ok"}"#.utf8), headers: ["Cache-Control": "no-store"])
        })
        router.add(.get, "/health/ready", handler: ClosureHandler { _ in
            let failing = readiness.failingChecks
            guard !failing.isEmpty else {
                return .json(.ok, Array(#"{"status":"ready"}"#.utf8), headers: ["Cache-Control": "no-store"])
            }
            var body = Array(#"{"status":"unavailable","failing":["#.utf8)
            for (index, name) in failing.enumerated() {
                if index > 0 { body.append(UInt8(ascii: ",")) }
                JSONText.appendString(name, to: &body)
            }
            body.append(contentsOf: "]}".utf8)
            return .json(.serviceUnavailable, body, headers: ["Cache-Control": "no-store", "Retry-After": "5"])
        })
    }
}
