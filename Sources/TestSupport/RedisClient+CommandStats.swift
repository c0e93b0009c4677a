package import Stores

extension RedisClient {
    /// How many times Redis has run `command` (lowercase, as `INFO commandstats` names it: `evalsha`, `get`) since
    /// it started, commands run by scripts included; 0 for one it has not run. Tests count what a request cost
    /// Redis by the difference before and after.
    package func calls(of command: String) async throws -> Int {
        struct Unreadable: Error, CustomStringConvertible {
            let description: String
        }
        guard let info = try await send("INFO", "commandstats").string else {
            throw Unreadable(description: "INFO commandstats gave no text")
        }
        guard let line = info.split(separator: "\r\n").first(where: { $0.hasPrefix("cmdstat_\(command):") }) else {
            return 0
        }
        guard let field = line.split(separator: ",").first(where: { $0.contains("calls=") }),
              let calls = Int(field.split(separator: "=").last ?? "")
        else { throw Unreadable(description: "no call count in \(line)") }
        return calls
    }
}
