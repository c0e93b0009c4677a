import Foundation
import Cryptography
import Gateway
import HTTPServer
import Logging
import Testing

@Suite("Gateway configuration")
struct GatewayConfigurationTests {
    private func load(_ arguments: [String] = [], _ environment: [String: String] = [:]) throws -> GatewayConfiguration {
        guard case .run(let configuration) = try GatewayConfiguration.load(arguments: arguments, environment: environment)
        else {
            Issue.record("expected a configuration to run with")
            return GatewayConfiguration()
        }
        return configuration
    }

    private func error(_ arguments: [String] = [], _ environment: [String: String] = [:]) -> String? {
        do {
            _ = try GatewayConfiguration.load(arguments: arguments, environment: environment)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("defaults: loopback, port 8080, the in-memory store, Make's EU1 zone")
    func defaults() throws {
        let configuration = try load()
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.logLevel == .info)
        #expect(configuration.redisURL == nil)
        #expect(configuration.makeAPIURL == "https://eu1.make.com/api/v2")
        #expect(configuration.effectivePublicURL == "http://127.0.0.1:8080")
        #expect(configuration.drainTimeout == .seconds(25))
        #expect(configuration.httpServer.requestLimits.maxBodyBytes == 4_194_304)
    }

    @Test("a flag beats its environment variable, which beats the default")
    func precedence() throws {
        let fromEnvironment = try load([], ["PORT": "9000", "HOST": "0.0.0.0",
                                            "GATEWAY_API_KEYS": "a-key-of-sixteen-or-more"])
        #expect(fromEnvironment.port == 9000)
        #expect(fromEnvironment.host == "0.0.0.0")
        let fromFlag = try load(["--port", "9100", "--log-level=debug"], ["PORT": "9000", "LOG_LEVEL": "error"])
        #expect(fromFlag.port == 9100)
        #expect(fromFlag.logLevel == .debug)
    }

    @Test("only the winning value is checked: a good flag overrides a bad environment variable, not the reverse")
    func precedenceValidatesWinnerOnly() throws {
        let overridden = try load(["--port", "9100", "--log-format=json"], ["PORT": "abc", "LOG_FORMAT": "xml"])
        #expect(overridden.port == 9100)
        #expect(overridden.logFormat == .json)
        #expect(error(["--port", "abc"], ["PORT": "9000"])
            == "invalid PORT (--port) (got \"abc\"): expected an integer from 0 to 65535")
        #expect(try load(["--port", "abc", "--port", "9200"]).port == 9200)
    }

    @Test("--help, --version and --settings-table answer whatever the environment holds", arguments: [
        ["--help"], ["-h"], ["--version"], ["--settings-table"], ["--port", "9000", "--help"],
    ])
    func informationalFlagsIgnoreEnvironment(arguments: [String]) throws {
        let request = try GatewayConfiguration.load(arguments: arguments, environment: [
            "PORT": "abc", "LOG_LEVEL": "loud", "TOKEN_ENCRYPTION_KEY": "short",
        ])
        switch request {
        case .help, .version: break
        case .run: Issue.record("expected help or version text for \(arguments)")
        }
    }

    @Test("durations take units; a bare number means seconds")
    func durations() throws {
        let configuration = try load(["--header-timeout", "250ms", "--idle-timeout", "2m", "--drain-timeout", "3"])
        #expect(configuration.headerTimeout == .milliseconds(250))
        #expect(configuration.idleTimeout == .seconds(120))
        #expect(configuration.drainTimeout == .seconds(3))
    }

    @Test("PUBLIC_URL keeps its path prefix and drops a trailing slash")
    func publicURL() throws {
        let configuration = try load([], ["PUBLIC_URL": "https://gw.example.com/make/"])
        #expect(configuration.effectivePublicURL == "https://gw.example.com/make")
        #expect(error([], ["PUBLIC_URL": "gw.example.com"])?.contains("PUBLIC_URL") == true)
    }

    @Test("a bad value names the setting, its flag and what would fix it", arguments: [
        (["PORT": "eighty"], "invalid PORT (--port) (got \"eighty\"): expected an integer from 0 to 65535"),
        (["PORT": "70000"], "invalid PORT (--port) (got \"70000\"): expected an integer from 0 to 65535"),
        (["LOG_FORMAT": "xml"], "invalid LOG_FORMAT (--log-format) (got \"xml\"): expected json or text"),
        (["LOG_LEVEL": "loud"], "invalid LOG_LEVEL (--log-level) (got \"loud\"): expected one of trace, debug, info, notice, warning, error, critical"),
        (["HEADER_TIMEOUT": "soon"], "invalid HEADER_TIMEOUT (--header-timeout) (got \"soon\"): expected a duration from 1ms to 24h such as 250ms, 10s or 5m"),
        (["MAX_BODY_BYTES": "0"], "invalid MAX_BODY_BYTES (--max-body-bytes) (got \"0\"): expected an integer from 1 to 1073741824"),
    ])
    func invalidValues(environment: [String: String], message: String) {
        #expect(error([], environment) == message)
    }

    @Test("secrets are never echoed, not even when they are invalid")
    func secretsNotEchoed() throws {
        let message = try #require(error([], ["TOKEN_ENCRYPTION_KEY": "not-a-key-s3cr3t"]))
        #expect(message.contains("TOKEN_ENCRYPTION_KEY"))
        #expect(message.contains("openssl rand -base64 32"))
        #expect(!message.contains("s3cr3t"))
        let keys = try #require(error([], ["GATEWAY_API_KEYS": "short-s3cr3t"]))
        #expect(!keys.contains("s3cr3t"))
        let redis = try #require(error([], ["REDIS_URL": "http://user:s3cr3t@host"]))
        #expect(!redis.contains("s3cr3t"))
    }

    @Test("the start-up summary shows whether secrets are set, never their values")
    func redactedSummary() throws {
        let configuration = try load([], [
            "MAKE_API_TOKEN": "tok-s3cr3t", "REDIS_URL": "redis://:s3cr3t@127.0.0.1:6379/0",
            "GATEWAY_API_KEYS": "key-0123456789-s3cr3t",
        ])
        let rendered = configuration.redactedSummary.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        #expect(!rendered.contains("s3cr3t"))
        let oauth = try load([], [
            "MAKE_CLIENT_ID": "client", "MAKE_CLIENT_SECRET": "cs-s3cr3t",
            "TOKEN_ENCRYPTION_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        ])
        let oauthRendered = oauth.redactedSummary.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        #expect(!oauthRendered.contains("s3cr3t"))
        #expect(!oauthRendered.contains("AAAAAAAA"))
        #expect(oauthRendered.contains("config.oauth=on"))
        #expect(rendered.contains("config.make_api_token=set"))
        #expect(rendered.contains("config.store=redis"))
        #expect(configuration.makeAPIToken?.revealedValue == "tok-s3cr3t")
        #expect("\(configuration.makeAPIToken!)" == "<redacted>")
    }

    @Test("OAuth mode needs the client secret with the client id")
    func oauthPair() {
        #expect(error([], ["MAKE_CLIENT_ID": "abc"])?.contains("MAKE_CLIENT_SECRET") == true)
    }

    @Test("OAuth mode needs a token key and no static token; off loopback, static mode needs API keys")
    func modeRules() throws {
        let oauth = ["MAKE_CLIENT_ID": "abc", "MAKE_CLIENT_SECRET": "secret"]
        #expect(error([], oauth)?.contains("TOKEN_ENCRYPTION_KEY") == true)
        let both = oauth.merging(["MAKE_API_TOKEN": "t", "TOKEN_ENCRYPTION_KEY": String(repeating: "A", count: 43) + "="]) { $1 }
        #expect(error([], both)?.contains("MAKE_API_TOKEN") == true)
        let exposed = try #require(error([], ["HOST": "0.0.0.0", "MAKE_API_TOKEN": "t"]))
        #expect(exposed.contains("GATEWAY_API_KEYS"))
        #expect(exposed.contains("not a loopback address"))
        #expect(error([], ["HOST": "0.0.0.0", "GATEWAY_API_KEYS": "0123456789abcdef"]) == nil)
        #expect(error([], ["HOST": "127.0.0.2"]) == nil)
    }

    @Test("unknown flags, missing values and stray arguments are refused clearly")
    func badArguments() {
        #expect(error(["--prot", "80"]) == "unknown flag --prot; run make-mcp-gateway --help for the list of settings")
        #expect(error(["--port"]) == "--port needs a value, as in --port VALUE or --port=VALUE")
        #expect(error(["8080"]) == "unexpected argument \"8080\"; settings are given as --flag VALUE")
    }

    @Test("--help lists every setting with its flag, variable and default")
    func help() throws {
        guard case .help(let text) = try GatewayConfiguration.load(arguments: ["--help"], environment: [:]) else {
            Issue.record("expected help")
            return
        }
        for setting in GatewayConfiguration.settings {
            #expect(text.contains("\(setting.flag) \(setting.variable)"))
            #expect(text.contains("(default: \(setting.defaultDescription))"))
        }
        for reserved in ["REDIS_URL", "MAKE_API_URL", "MAKE_API_TOKEN", "MAKE_OAUTH_URL", "MAKE_CLIENT_ID",
                         "MAKE_CLIENT_SECRET", "TOKEN_ENCRYPTION_KEY", "GATEWAY_API_KEYS", "PUBLIC_URL"] {
            #expect(text.contains(reserved))
        }
    }
}

@Suite("README configuration reference")
struct ConfigurationReferenceTests {
    @Test("the README's settings table is the one generated from the code")
    func readmeMatchesCode() throws {
        let readme = try String(contentsOfFile: #filePath.replacingOccurrences(
            of: "Tests/GatewayTests/GatewayConfigurationTests.swift", with: "README.md"), encoding: .utf8)
        let begin = try #require(readme.range(of: "-->\n", range: readme.range(of: "<!-- settings:begin")!.upperBound..<readme.endIndex))
        let end = try #require(readme.range(of: "\n<!-- settings:end -->"))
        let embedded = String(readme[begin.upperBound..<end.lowerBound])
        #expect(embedded == GatewayConfiguration.referenceTable, "run scripts/settings-table to regenerate the README table")
    }
}
