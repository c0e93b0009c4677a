/// A custom app of Make's app SDK (`/sdk/apps/{name}/{version}`), with its sections, docs and components.
struct SDKApp: Sendable {
    var name: String
    var version: Int
    /// `label`, `description`, `theme`, `language`, `countries`, `private`, `audience`, `public`.
    var info: JSON
    /// The JSONC sections (`base`, `groups`, `install`, `installSpec`) as the text last written.
    var sections: [String: String] = [:]
    var readme = ""
    var common: JSON = [:]
    /// PNG bytes, once set.
    var icon: [UInt8]?
    var components: [SDKComponent.Kind: [SDKComponent]] = [:]

    static let sectionNames: Set<String> = ["base", "groups", "install", "installSpec"]

    var json: JSON {
        info.merging(["name": .string(name), "version": .int(version)])
    }
}

/// A part of a custom app: a function, module, RPC or endpoint inside one app version, or a connection or webhook
/// addressed by its own name.
struct SDKComponent: Sendable {
    enum Kind: String, Sendable {
        case function, module, rpc, endpoint
    }

    var name: String
    var info: JSON
    var sections: [String: String] = [:]
    var common: JSON = [:]
    var code = ""
    var test = ""

    var json: JSON {
        info.merging(["name": .string(name)])
    }
}
