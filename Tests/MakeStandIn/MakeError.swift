import HTTPServer

/// A refusal in Make's shape (make-api.md §3.2): `{"message":…,"detail":…,"code":…,"suberrors":[{"name":…,
/// "message":…}]}`. `message` is the short title, `detail` the sentence clients show; `code` is `SC`+status or one
/// of Make's `IM…` codes.
struct MakeError: Error, Equatable {
    var status: HTTPStatus
    var message: String
    var detail: String
    var code: String
    var suberrors: [String] = []
    var headers: HTTPHeaders = HTTPHeaders()

    var body: JSON {
        var body: JSON = ["message": .string(message), "detail": .string(detail), "code": .string(code)]
        if !suberrors.isEmpty {
            body["suberrors"] = .array(suberrors.map { ["name": "Error", "message": .string($0)] })
        }
        return body
    }

    var response: HTTPResponse { .json(status, body.encoded, headers: headers) }

    // MARK: - The refusals Make documents

    /// Validation failures: Make's documented form, one suberror per parameter.
    static func validation(_ problems: [String]) -> MakeError {
        MakeError(
            status: .badRequest, message: "Bad Request",
            detail: "Validation failed for \(problems.count) parameter(s).", code: "SC400", suberrors: problems)
    }

    static func missingParameter(_ name: String) -> MakeError {
        validation(["Missing value of required parameter '\(name)'."])
    }

    static func invalidParameter(_ name: String, expected: String) -> MakeError {
        validation(["Invalid value of parameter '\(name)'. Expected \(expected)."])
    }

    static func badRequest(_ detail: String, code: String = "SC400") -> MakeError {
        MakeError(status: .badRequest, message: "Bad Request", detail: detail, code: code)
    }

    static let unauthorized = MakeError(
        status: .unauthorized, message: "Unauthorized",
        detail: "Invalid or missing credentials.", code: "SC401")

    static let expiredToken = MakeError(
        status: .unauthorized, message: "Unauthorized",
        detail: "The access token has expired.", code: "SC401")

    /// Make's documented 403 body, plus a suberror naming the scope the credential lacks.
    static func missingScope(_ scope: String) -> MakeError {
        MakeError(
            status: .forbidden, message: "Permission denied", detail: "Access denied.", code: "SC403",
            suberrors: ["The token does not have the scope '\(scope)'."])
    }

    static func notFound(_ what: String) -> MakeError {
        MakeError(status: .notFound, message: "Not Found", detail: "\(what) not found.", code: "SC404")
    }

    static let unknownEndpoint = MakeError(
        status: .notFound, message: "Not Found",
        detail: "The requested resource does not exist.", code: "SC404")

    /// `IM004`: a destructive call without `confirmed=true`; Make documents HTTP 406 for it.
    static let confirmationRequired = MakeError(
        status: .notAcceptable, message: "Confirmation required",
        detail: "This action needs confirmation; repeat the request with confirmed=true.", code: "IM004")

    static func conflict(_ detail: String) -> MakeError {
        MakeError(status: .conflict, message: "Conflict", detail: detail, code: "SC409")
    }

    /// `IM016`: blocked by dependencies, such as scenario inputs on a scenario that is not on-demand (HTTP 422).
    static func blockedByDependencies(_ detail: String) -> MakeError {
        MakeError(
            status: HTTPStatus(code: 422, reasonPhrase: "Unprocessable Content"),
            message: "Action blocked by dependencies", detail: detail, code: "IM016")
    }

    /// The organization's per-minute limit (make-api.md §3.1); `Retry-After` only when configured, as Make does not
    /// document one.
    static func rateLimited(retryAfterSeconds: Int?) -> MakeError {
        var error = MakeError(
            status: .tooManyRequests, message: "Too Many Requests",
            detail: "Requests limit for organization exceeded, please try again later.",
            code: "SC429")
        if let retryAfterSeconds { error.headers.add(name: "Retry-After", value: String(retryAfterSeconds)) }
        return error
    }

    /// A failure whose status the caller chose (fault injection).
    static func injected(status: Int) -> MakeError {
        let httpStatus = HTTPStatus.known[status] ?? HTTPStatus(code: status, reasonPhrase: "Error")
        return MakeError(
            status: httpStatus, message: httpStatus.reasonPhrase,
            detail: "The service is temporarily unavailable (injected fault).", code: "SC\(status)")
    }

    static func internalError(_ detail: String) -> MakeError {
        MakeError(status: .internalServerError, message: "Internal Server Error", detail: detail, code: "SC500")
    }
}

extension HTTPStatus {
    /// The statuses a fault rule may name, with their reason phrases.
    static let known: [Int: HTTPStatus] = Dictionary(
        uniqueKeysWithValues: [
            HTTPStatus.badRequest, .unauthorized, .forbidden, .notFound, .conflict,
            .tooManyRequests, .internalServerError, .badGateway, .serviceUnavailable,
            .gatewayTimeout,
        ].map { ($0.code, $0) })
}
