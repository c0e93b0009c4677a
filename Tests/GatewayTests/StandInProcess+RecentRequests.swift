import TestSupport

extension StandInProcess {
    /// The requests the stand-in saw (its request log keeps the last 500), as `METHOD path authScheme status`, with
    /// `-` for no Authorization header.
    func recentRequests() async throws -> [String] {
        let recent = try await request("GET", "/__standin/requests", authorization: nil).json["recent"]
        return (recent as? [[String: Any]] ?? []).map { entry in
            let scheme = entry["authScheme"] as? String ?? "-"
            return "\(entry["method"] ?? "") \(entry["path"] ?? "") \(scheme) \(entry["status"] ?? "")"
        }
    }
}
