import TestSupport
import Testing

@Suite("Free ports for test servers")
struct FreePortTests {
    @Test("free ports come from below the ephemeral range, where no outgoing connection's source port can take them")
    func belowEphemeralRange() throws {
        for _ in 0..<20 {
            let port = try RedisServer.freePort()
            #expect(port >= 10_000 && port < RedisServer.ephemeralPorts.lowerBound, "\(port)")
        }
    }

    @Test("no port is handed out twice, even while the first taker has not bound it yet")
    func neverTwice() throws {
        let ports = try (0..<300).map { _ in try RedisServer.freePort() }
        #expect(Set(ports).count == ports.count)
    }
}
