/// A setting that cannot be used, with what would fix it. The process prints it and exits non-zero.
package enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    /// The value of a setting is unusable. `value` is nil for secrets, which are never echoed.
    case invalid(setting: Setting, value: String?, expected: String)
    case unknownFlag(String)
    case missingValue(flag: String)
    case unexpectedArgument(String)

    package var description: String {
        switch self {
        case .invalid(let setting, let value, let expected):
            let got = value.map { " (got \"\($0)\")" } ?? ""
            return "invalid \(setting.variable) (\(setting.flag))\(got): expected \(expected)"
        case .unknownFlag(let flag):
            return "unknown flag \(flag); run make-mcp-gateway --help for the list of settings"
        case .missingValue(let flag):
            return "\(flag) needs a value, as in \(flag) VALUE or \(flag)=VALUE"
        case .unexpectedArgument(let argument):
            return "unexpected argument \"\(argument)\"; settings are given as --flag VALUE"
        }
    }

    package static func == (lhs: ConfigurationError, rhs: ConfigurationError) -> Bool {
        lhs.description == rhs.description
    }
}
