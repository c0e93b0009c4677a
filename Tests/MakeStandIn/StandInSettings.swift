/// Everything the command line can change, with defaults that mirror Make where Make documents a value.
struct StandInSettings: Sendable {
    var host = "127.0.0.1"
    var port = 0
    /// The organization's `zone`; nil means `host:port` once the port is known.
    var zone: String?
    /// The one valid API token (`Authorization: Token …`); a UUIDv4, as Make's tokens are.
    var apiToken = StandInSettings.defaultAPIToken
    /// What the API token may do; every scope by default.
    var apiTokenScopes: Set<String> = Scopes.all
    /// How long `responsive: true` runs are waited for; Make waits 40 s (make-api.md §5.1).
    var responsiveLimit: Duration = .seconds(40)
    /// How long the seeded "long" scenario runs; longer than the responsive limit by default.
    var longRunDuration: Duration = .seconds(45)
    /// Requests per minute per organization; 0 turns the limit off (make-api.md §3.1: Core 60, Pro 120, …).
    var rateLimitPerMinute = 0
    /// Whether a 429 from the organization limit carries `Retry-After`; Make documents none, so off by default.
    var rateLimitSendsRetryAfter = false
    var oauthClientID = "standin-client"
    var oauthClientSecret = "standin-secret"
    /// Redirect URIs must start with this (loopback callbacks on any port by default).
    var oauthRedirectURIPrefix = "http://127.0.0.1"
    /// Make documents 5-minute access tokens (make-api.md §2.2).
    var accessTokenTTL: Duration = .seconds(300)
    /// Make documents 5-minute, single-use authorization codes.
    var authorizationCodeTTL: Duration = .seconds(300)
    /// How many recent requests `GET /__standin/requests` lists.
    var requestLogSize = 500

    static let defaultAPIToken = "5b1e6a0c-3f2d-4c8a-9e71-2a4b6c8d0e1f"

    static let usage = """
        usage: MakeStandIn [options]
          --port N                      port to listen on (0 picks a free one); default 0
          --host ADDRESS                address to bind; default 127.0.0.1
          --zone HOST[:PORT]            the organization's zone; default host:port
          --api-token UUID              the valid API token; default \(defaultAPIToken)
          --api-token-scopes A,B        the API token's scopes; default all
          --responsive-limit-ms N       how long responsive runs are awaited; default 40000
          --long-run-ms N               how long the seeded long scenario runs; default 45000
          --rate-limit-per-minute N     organization request limit; default 0 (off)
          --rate-limit-retry-after      send Retry-After on the organization limit's 429s
          --oauth-client-id ID          default standin-client
          --oauth-client-secret SECRET  default standin-secret
          --oauth-redirect-uri PREFIX   allowed redirect URI prefix; default http://127.0.0.1
          --access-token-ttl-seconds N  default 300
          --code-ttl-seconds N          default 300
          --request-log-size N          recent requests kept for /__standin/requests; default 500
        """

    /// The settings the arguments describe.
    ///
    /// - Throws: A message naming the flag and the expected form.
    static func parse(_ arguments: [String]) throws(SettingsError) -> StandInSettings {
        var settings = StandInSettings()
        var remaining = arguments[...]
        func value(for flag: String) throws(SettingsError) -> String {
            guard let value = remaining.popFirst() else { throw SettingsError("\(flag) needs a value") }
            return value
        }
        func number(for flag: String, minimum: Int = 0) throws(SettingsError) -> Int {
            let text = try value(for: flag)
            guard let number = Int(text), number >= minimum else {
                throw SettingsError("\(flag) needs a whole number of at least \(minimum), not '\(text)'")
            }
            return number
        }
        while let flag = remaining.popFirst() {
            switch flag {
            case "--port": settings.port = try number(for: flag)
            case "--host": settings.host = try value(for: flag)
            case "--zone": settings.zone = try value(for: flag)
            case "--api-token": settings.apiToken = try value(for: flag)
            case "--api-token-scopes":
                settings.apiTokenScopes = Scopes.parse(try value(for: flag))
            case "--responsive-limit-ms": settings.responsiveLimit = .milliseconds(try number(for: flag))
            case "--long-run-ms": settings.longRunDuration = .milliseconds(try number(for: flag))
            case "--rate-limit-per-minute": settings.rateLimitPerMinute = try number(for: flag)
            case "--rate-limit-retry-after": settings.rateLimitSendsRetryAfter = true
            case "--oauth-client-id": settings.oauthClientID = try value(for: flag)
            case "--oauth-client-secret": settings.oauthClientSecret = try value(for: flag)
            case "--oauth-redirect-uri": settings.oauthRedirectURIPrefix = try value(for: flag)
            case "--access-token-ttl-seconds": settings.accessTokenTTL = .seconds(try number(for: flag, minimum: 1))
            case "--code-ttl-seconds": settings.authorizationCodeTTL = .seconds(try number(for: flag, minimum: 1))
            case "--request-log-size": settings.requestLogSize = try number(for: flag, minimum: 1)
            case "--help", "-h": throw SettingsError(usage, isHelp: true)
            default: throw SettingsError("unknown option '\(flag)'")
            }
        }
        return settings
    }
}

/// A command line the stand-in cannot run with, or a request for help.
struct SettingsError: Error, CustomStringConvertible {
    let description: String
    let isHelp: Bool

    init(_ description: String, isHelp: Bool = false) {
        self.description = description
        self.isHelp = isHelp
    }
}
