/// Facts about this build, reported by `--version`, `gateway_info` and `/metrics`.
package enum GatewayBuild {
    package static let version = "0.1.0"
}
