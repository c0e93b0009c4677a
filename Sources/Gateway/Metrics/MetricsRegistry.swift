internal import Synchronization

/// The gateway's metrics in the Prometheus text exposition format (version 0.0.4), written by hand rather than
/// through swift-metrics and swift-prometheus: a few counters, gauges and histograms with fixed label names need no
/// two packages' build minutes. Families are created once at start; label values come from bounded sets (route
/// templates, method names, status classes, tool names of the catalog), never ids, users or tokens.
final class MetricsRegistry: Sendable {
    private let families = Mutex<[any MetricFamily]>([])

    /// Adds a family; rendering lists families in the order they were added.
    func register<Family: MetricFamily>(_ family: Family) -> Family {
        families.withLock { $0.append(family) }
        return family
    }

    func counter(_ name: String, _ help: String, labels: [String] = []) -> Counter {
        register(Counter(name: name, help: help, labelNames: labels))
    }

    func histogram(_ name: String, _ help: String, labels: [String] = [],
                   buckets: [Double] = Histogram.latencyBuckets) -> Histogram {
        register(Histogram(name: name, help: help, labelNames: labels, buckets: buckets))
    }

    /// A gauge read when `/metrics` is scraped: `read` returns each series' label values and value.
    func gauge(_ name: String, _ help: String, labels: [String] = [],
               read: @escaping @Sendable () -> [(labels: [String], value: Double)]) {
        _ = register(Gauge(name: name, help: help, labelNames: labels, type: "gauge", read: read))
    }

    /// A counter kept elsewhere (a cache's hit count), read when `/metrics` is scraped.
    func counter(_ name: String, _ help: String, labels: [String] = [],
                 read: @escaping @Sendable () -> [(labels: [String], value: Double)]) {
        _ = register(Gauge(name: name, help: help, labelNames: labels, type: "counter", read: read))
    }

    /// Every family, as `/metrics` answers.
    func render() -> String {
        var text = ""
        for family in families.withLock({ $0 }) { family.render(into: &text) }
        return text
    }
}

/// One metric name with its help, type and series.
protocol MetricFamily: Sendable {
    func render(into text: inout String)
}

/// A monotonically increasing count per label set.
final class Counter: MetricFamily {
    let name: String
    private let help: String
    private let labelNames: [String]
    private let values = Mutex<[[String]: Double]>([:])

    init(name: String, help: String, labelNames: [String]) {
        self.name = name
        self.help = help
        self.labelNames = labelNames
    }

    func increment(_ labels: [String] = [], by amount: Double = 1) {
        values.withLock { $0[labels, default: 0] += amount }
    }

    func value(_ labels: [String] = []) -> Double { values.withLock { $0[labels] ?? 0 } }

    func render(into text: inout String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) counter\n"
        for (labels, value) in values.withLock({ $0 }).sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            text += name + MetricLabels.render(labelNames, labels) + " " + MetricLabels.number(value) + "\n"
        }
    }
}

/// A value read at scrape time: a gauge, or a counter another component keeps.
struct Gauge: MetricFamily {
    let name: String
    let help: String
    let labelNames: [String]
    let type: String
    let read: @Sendable () -> [(labels: [String], value: Double)]

    func render(into text: inout String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        for series in read() {
            text += name + MetricLabels.render(labelNames, series.labels) + " " + MetricLabels.number(series.value) + "\n"
        }
    }
}

/// Observations counted into cumulative buckets, with their sum and count.
final class Histogram: MetricFamily {
    /// Seconds, from half a millisecond to ten seconds: the gateway's fast paths and Make's slow calls both fit.
    static let latencyBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    let name: String
    private let help: String
    private let labelNames: [String]
    private let buckets: [Double]

    private struct Series {
        var counts: [UInt64]
        var sum = 0.0
        var count: UInt64 = 0
    }

    private let series = Mutex<[[String]: Series]>([:])

    init(name: String, help: String, labelNames: [String], buckets: [Double]) {
        self.name = name
        self.help = help
        self.labelNames = labelNames
        self.buckets = buckets
    }

    func observe(_ value: Double, _ labels: [String] = []) {
        let index = buckets.firstIndex { value <= $0 } ?? buckets.count
        series.withLock { all in
            var entry = all[labels] ?? Series(counts: Array(repeating: 0, count: buckets.count + 1))
            entry.counts[index] += 1
            entry.sum += value
            entry.count += 1
            all[labels] = entry
        }
    }

    func count(_ labels: [String] = []) -> UInt64 { series.withLock { $0[labels]?.count ?? 0 } }

    func render(into text: inout String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) histogram\n"
        let bucketNames = labelNames + ["le"]
        for (labels, entry) in series.withLock({ $0 }).sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            var cumulative: UInt64 = 0
            for (index, bound) in buckets.enumerated() {
                cumulative += entry.counts[index]
                text += name + "_bucket" + MetricLabels.render(bucketNames, labels + [MetricLabels.number(bound)])
                    + " \(cumulative)\n"
            }
            text += name + "_bucket" + MetricLabels.render(bucketNames, labels + ["+Inf"]) + " \(entry.count)\n"
            text += name + "_sum" + MetricLabels.render(labelNames, labels) + " " + MetricLabels.number(entry.sum) + "\n"
            text += name + "_count" + MetricLabels.render(labelNames, labels) + " \(entry.count)\n"
        }
    }
}

/// Label sets and numbers as the text format spells them.
enum MetricLabels {
    static func render(_ names: [String], _ values: [String]) -> String {
        guard !names.isEmpty else { return "" }
        let pairs = zip(names, values).map { name, value in "\(name)=\"\(escape(value))\"" }
        return "{" + pairs.joined(separator: ",") + "}"
    }

    /// Backslash, double quote and newline are escaped in label values.
    static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
