/// Counts failures by kind and keeps the first few in full, for the report on stderr.
struct FailureLog {
    private(set) var count = 0
    private var countsByKind: [String: Int] = [:]
    private var samples: [String] = []
    private let sampleLimit = 8

    mutating func record(kind: String, detail: String) {
        count += 1
        countsByKind[kind, default: 0] += 1
        if samples.count < sampleLimit { samples.append("\(kind): \(detail)") }
    }

    /// Lines for stderr: the counts by kind, then the samples.
    func report(label: String) -> [String] {
        guard count > 0 else { return [] }
        let kinds = countsByKind.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return ["mcpload \(label): \(count) failures (\(kinds)); first \(samples.count):"]
            + samples.map { "  \($0)" }
    }
}
