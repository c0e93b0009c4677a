import Foundation

/// A scenario: what the API shows (make-api.md §5.1, "Scenario object") plus how its runs behave here.
struct Scenario: Sendable {
    var id: Int
    var teamID: Int
    var folderID: Int?
    var hookID: Int?
    var name: String
    var description: String = ""
    var isActive: Bool
    var isPaused = false
    /// `{"type":"on-demand"}`, `{"type":"indefinitely","interval":900}`, …
    var scheduling: JSON
    /// The blueprint object, without `scheduling` and interface (those travel beside it).
    var blueprint: JSON
    /// The interface's input and output fields (data-structure fields); nil when the scenario has none.
    var input: [JSON]?
    var output: [JSON]?
    var customProperties: JSON = [:]
    var created: Date
    var lastEdit: Date
    var run: RunBehaviour

    /// How a run of this scenario goes: how long it takes and how it ends.
    struct RunBehaviour: Sendable {
        var duration: Duration = .zero
        /// The outputs of a successful run.
        var outputs: JSON = [:]
        /// When set, runs end in error with this message.
        var failure: String?
        /// When set, the run's inputs are copied into the outputs under this key, so callers can see what arrived.
        var echoInputsKey: String?
    }

    var isOnDemand: Bool { scheduling["type"]?.stringValue == "on-demand" }

    /// The app names the blueprint's modules use (`"gateway:CustomWebHook"` → `gateway`), as `usedPackages`.
    var usedPackages: [String] {
        var packages: [String] = []
        func collect(_ flow: JSON?) {
            for node in flow?.arrayValue ?? [] {
                if let module = node["module"]?.stringValue, let app = module.split(separator: ":").first {
                    packages.append(String(app))
                }
                for route in node["routes"]?.arrayValue ?? [] { collect(route["flow"]) }
            }
        }
        collect(blueprint["flow"])
        return packages
    }

    var interfaceJSON: JSON {
        ["input": input.map(JSON.array) ?? .null, "output": output.map(JSON.array) ?? .null]
    }

    /// The scenario object of list and get responses.
    func json(dlqCount: Int, user: JSON) -> JSON {
        let author: JSON = ["id": user["id"] ?? 1, "name": user["name"] ?? "", "email": user["email"] ?? ""]
        return [
            "id": .int(id), "name": .string(name), "description": .string(description), "teamId": .int(teamID),
            "folderId": JSON(folderID), "hookId": JSON(hookID), "deviceId": nil, "deviceScope": nil,
            "concept": false, "isinvalid": false, "islinked": true, "isActive": .bool(isActive), "islocked": false,
            "isPaused": .bool(isPaused), "iswaiting": false, "usedPackages": .array(usedPackages.map(JSON.string)),
            "scheduling": scheduling, "lastEdit": .date(lastEdit), "created": .date(created),
            "createdByUser": author, "updatedByUser": author, "nextExec": nil, "dlqCount": .int(dlqCount),
            "operations": 0, "transfer": 0, "customProperties": customProperties,
        ]
    }

    /// `GET /scenarios/{id}/blueprint`'s `response`: the blueprint, scheduling and interface as objects.
    var blueprintResponse: JSON {
        [
            "blueprint": blueprint, "scheduling": scheduling,
            "metadata": ["input_spec": .array(input ?? []), "output_spec": .array(output ?? [])],
            "idSequence": .int((blueprint["flow"]?.arrayValue?.count ?? 0) + 1),
            "created": .date(created), "last_edit": .date(lastEdit),
        ]
    }

    /// The scheduling types Make accepts (make-catalog.md §3).
    static let schedulingTypes: Set<String> = [
        "immediately", "indefinitely", "once", "daily", "weekly", "monthly", "yearly", "on-demand",
    ]

    /// A blueprint with one module per entry of `modules` (`"util:SetVariables"`), named `name`.
    static func blueprint(named name: String, modules: [String]) -> JSON {
        let flow = modules.enumerated().map { index, module -> JSON in
            [
                "id": .int(index + 1), "module": .string(module), "version": 1, "parameters": [:], "mapper": [:],
                "metadata": ["designer": ["x": .int(index * 300), "y": 0]],
            ]
        }
        return [
            "name": .string(name), "flow": .array(flow),
            "metadata": [
                "version": 1,
                "scenario": [
                    "roundtrips": 1, "maxErrors": 3, "autoCommit": true,
                    "sequential": false, "confidential": false,
                    "dataloss": false, "dlq": false,
                ],
            ],
        ]
    }
}

extension JSON {
    /// A timestamp as Make writes them: ISO 8601 in UTC with milliseconds (`2021-09-23T11:55:22.946Z`).
    static func date(_ date: Date) -> JSON {
        .string(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }
}
