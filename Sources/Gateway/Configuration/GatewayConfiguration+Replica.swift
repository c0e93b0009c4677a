internal import Glibc

extension GatewayConfiguration {
    /// The host name, which is the pod name under Kubernetes: a natural replica id.
    static var defaultReplicaID: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "replica" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
