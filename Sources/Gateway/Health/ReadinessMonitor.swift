internal import Synchronization

/// A dependency whose usability readiness reports. `isReady` must answer at once from cached state (a probe that
/// runs elsewhere keeps it fresh), so the readiness route never waits on I/O.
package protocol ReadinessCheck: Sendable {
    var name: String { get }
    var isReady: Bool { get }
}

/// Decides `/health/ready`: ready while serving and every registered check passes; not ready once draining.
package final class ReadinessMonitor: Sendable {
    private let isDraining = Atomic<Bool>(false)
    private let checks: Mutex<[any ReadinessCheck]>

    package init(checks: [any ReadinessCheck] = []) {
        self.checks = Mutex(checks)
    }

    package func add(_ check: any ReadinessCheck) {
        checks.withLock { $0.append(check) }
    }

    /// Shutdown has begun: readiness fails from now on, so load balancers stop sending new work.
    package func beginDraining() {
        isDraining.store(true, ordering: .releasing)
    }

    /// The names of the checks that fail now; empty when ready.
    package var failingChecks: [String] {
        var failing: [String] = []
        if isDraining.load(ordering: .acquiring) { failing.append("draining") }
        for check in checks.withLock({ $0 }) where !check.isReady {
            failing.append(check.name)
        }
        return failing
    }
}
