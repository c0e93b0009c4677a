import Foundation
import HTTPServer

/// One authenticated call to `/api/v2/…` as a route handler sees it, with helpers that refuse bad input the way
/// Make does.
struct APIRequest: Sendable {
    let http: HTTPRequest
    let parameters: [String: String]
    let query: QueryItems
    let principal: Principal
    let world: World
    let settings: StandInSettings

    // MARK: - Path

    /// A path parameter; the route template guarantees it is there.
    func path(_ name: String) -> String {
        parameters[name] ?? ""
    }

    /// A numeric path parameter; anything else is a 404, as an id that cannot exist.
    func pathInt(_ name: String) throws -> Int {
        guard let value = Int(path(name)) else {
            throw MakeError(
                status: .notFound, message: "Not Found", detail: "No resource has the id '\(path(name))'.",
                code: "SC404")
        }
        return value
    }

    // MARK: - Query

    /// A required integer query parameter such as `teamId`.
    func requiredQueryInt(_ name: String) throws -> Int {
        guard let text = query[name], !text.isEmpty else { throw MakeError.missingParameter(name) }
        guard let value = Int(text) else { throw MakeError.invalidParameter(name, expected: "number") }
        return value
    }

    func optionalQueryInt(_ name: String) throws -> Int? {
        guard let text = query[name], !text.isEmpty else { return nil }
        guard let value = Int(text) else { throw MakeError.invalidParameter(name, expected: "number") }
        return value
    }

    func requiredQueryString(_ name: String) throws -> String {
        guard let text = query[name], !text.isEmpty else { throw MakeError.missingParameter(name) }
        return text
    }

    /// Destructive calls need `confirmed=true` (make-api.md §4); otherwise IM004.
    func requireConfirmation() throws {
        guard query.bool("confirmed") == true else { throw MakeError.confirmationRequired }
    }

    func page(_ defaults: Page) throws -> Page {
        try Page(query: query, defaults: defaults)
    }

    var columns: Columns { Columns(query: query) }

    // MARK: - Body

    /// The JSON body as an object; an empty body is `{}`, anything but a JSON object is a 400.
    func body() throws -> JSON {
        if http.body.isEmpty { return [:] }
        guard let json = JSON.parse(http.body), json.objectValue != nil else {
            throw MakeError.badRequest("The request body must be a JSON object.")
        }
        return json
    }

    /// The body as text, for the raw `application/jsonc`, markdown and JavaScript bodies of the SDK-app endpoints.
    var bodyText: String { String(decoding: http.body, as: UTF8.self) }
}

// MARK: - Reading fields

extension JSON {
    /// A required string field of a request body.
    func requiredString(_ name: String) throws -> String {
        guard let value = self[name], !value.isNull else { throw MakeError.missingParameter(name) }
        guard let string = value.stringValue, !string.isEmpty else {
            throw MakeError.invalidParameter(name, expected: "non-empty string")
        }
        return string
    }

    func optionalString(_ name: String) throws -> String? {
        guard let value = self[name], !value.isNull else { return nil }
        guard let string = value.stringValue else { throw MakeError.invalidParameter(name, expected: "string") }
        return string
    }

    func requiredInt(_ name: String) throws -> Int {
        guard let value = self[name], !value.isNull else { throw MakeError.missingParameter(name) }
        guard let int = value.intValue else { throw MakeError.invalidParameter(name, expected: "number") }
        return int
    }

    func optionalInt(_ name: String) throws -> Int? {
        guard let value = self[name], !value.isNull else { return nil }
        guard let int = value.intValue else { throw MakeError.invalidParameter(name, expected: "number") }
        return int
    }

    func requiredBool(_ name: String) throws -> Bool {
        guard let value = self[name], !value.isNull else { throw MakeError.missingParameter(name) }
        guard let bool = value.boolValue else { throw MakeError.invalidParameter(name, expected: "boolean") }
        return bool
    }

    func requiredArray(_ name: String) throws -> [JSON] {
        guard let value = self[name], !value.isNull else { throw MakeError.missingParameter(name) }
        guard let array = value.arrayValue else { throw MakeError.invalidParameter(name, expected: "array") }
        return array
    }

    func requiredObject(_ name: String) throws -> JSON {
        guard let value = self[name], !value.isNull else { throw MakeError.missingParameter(name) }
        guard value.objectValue != nil else { throw MakeError.invalidParameter(name, expected: "object") }
        return value
    }
}

// MARK: - Responses

extension HTTPResponse {
    /// A JSON response from a ``JSON`` value.
    static func json(_ value: JSON, status: HTTPStatus = .ok) -> HTTPResponse {
        .json(status, value.encoded)
    }

    /// A text body with the given content type (`application/jsonc`, `text/markdown`, …).
    static func text(_ text: String, contentType: String) -> HTTPResponse {
        HTTPResponse(status: .ok, headers: ["Content-Type": contentType], body: Array(text.utf8))
    }
}
