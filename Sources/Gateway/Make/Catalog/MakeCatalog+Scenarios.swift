internal import MCPProtocol

extension MakeCatalog {
    /// make-catalog.md §6 "scenarios" (10).
    static let scenarios: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "scenarios_list", group: "scenarios", title: "List scenarios",
            description: "Lists the scenarios of a team with all their columns (id, name, scheduling, isActive, "
                + "folderId, …). Needs teamId: use teams_list or organizations_list to find it.",
            scope: "scenarios:read", annotations: readOnly,
            method: "GET", path: "/scenarios", fixedQuery: allColumns,
            arguments: [teamID()],
            result: .unwrap("scenarios"),
            // Fix: GET /scenarios answers with a `pg` object and honours pg[…]; the SDK tool exposed no paging.
            isPaginated: true, isInDefaultSelection: true),
        MakeToolDefinition(
            name: "scenarios_get", group: "scenarios", title: "Get a scenario with its blueprint",
            description: "Returns one scenario with all its columns plus its blueprint, with the scheduling and the "
                + "input/output interface folded back into the blueprint, so the result can be edited and passed "
                + "to scenarios_update.",
            scope: "scenarios:read", annotations: readOnly,
            method: "GET", path: "/scenarios/{scenarioId}", fixedQuery: allColumns,
            arguments: [scenarioID()],
            // The special path unwraps `scenario` and merges the blueprint itself, so its value is the answer.
            result: .wholeBody,
            isInDefaultSelection: true, special: .scenarioWithBlueprint),
        MakeToolDefinition(
            name: "scenarios_create", group: "scenarios", title: "Create a scenario",
            description: "Creates a scenario in a team from a blueprint and a schedule, optionally inside a folder "
                + "(folders_list) or based on a template. Returns the new scenario, which starts inactive: use "
                + "scenarios_activate to turn it on.",
            scope: "scenarios:write", annotations: idempotentWrite,
            method: "POST", path: "/scenarios", fixedQuery: allColumns,
            arguments: [
                teamID(.body),
                optional("folderId", id, .body, "Folder to put the scenario in. Find it with folders_list."),
                required(
                    "scheduling", scheduling, .bodyJSONString,
                    "When the scenario runs, such as {\"type\": \"on-demand\"} or "
                        + "{\"type\": \"indefinitely\", \"interval\": 900}."),
                required(
                    "blueprint", blueprint, .bodyJSONString,
                    "The scenario's modules: {name, flow, metadata}, as scenarios_get returns it. An "
                        + "`interface` {input, output} inside it sets the scenario's inputs and outputs."),
                optional(
                    "basedon", string(minLength: 1), .body,
                    "Template the scenario is based on, such as a public template's url from "
                        + "public-templates_list."),
                optional(
                    "confirmed", boolean, .query,
                    "Set true to confirm installing apps the organization does not use yet; Make asks for "
                        + "this with error IM004."),
            ],
            result: .unwrap("scenario"),
            isInDefaultSelection: true, special: .scenarioBlueprintWrite),
        MakeToolDefinition(
            name: "scenarios_update", group: "scenarios", title: "Update a scenario",
            description: "Changes a scenario's name, description, folder, schedule or blueprint; fields left out stay "
                + "as they are. A blueprint replaces the whole flow: start from scenarios_get. Returns the updated "
                + "scenario.",
            scope: "scenarios:write", annotations: destructiveIdempotent,
            method: "PATCH", path: "/scenarios/{scenarioId}", fixedQuery: allColumns,
            arguments: [
                scenarioID(),
                optional("name", string(minLength: 1), .body, "New name of the scenario."),
                optional("description", string(maxLength: 240), .body, "New description, at most 240 characters."),
                optional("folderId", id, .body, "Folder to move the scenario to. Find it with folders_list."),
                optional(
                    "scheduling", scheduling, .bodyJSONString,
                    "New schedule, such as {\"type\": \"on-demand\"}."),
                optional(
                    "blueprint", blueprint, .bodyJSONString,
                    "New blueprint {name, flow, metadata}, usually scenarios_get's blueprint, edited."),
                optional(
                    "confirmed", boolean, .query,
                    "Set true to confirm installing apps the organization does not use yet; Make asks for "
                        + "this with error IM004."),
            ],
            result: .unwrap("scenario"),
            isInDefaultSelection: true, special: .scenarioBlueprintWrite),
        MakeToolDefinition(
            name: "scenarios_delete", group: "scenarios", title: "Delete a scenario",
            description: "Deletes a scenario for good, with its history. Returns a confirmation.",
            scope: "scenarios:write", annotations: destructive,
            method: "DELETE", path: "/scenarios/{scenarioId}",
            arguments: [scenarioID()],
            result: .confirmation("Scenario {scenarioId} deleted."),
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "scenarios_activate", group: "scenarios", title: "Activate a scenario",
            description: "Turns a scenario on so it runs on its schedule or triggers; an interval-scheduled "
                + "scenario also runs once right away. Returns a confirmation.",
            scope: "scenarios:write", annotations: idempotentWrite,
            method: "POST", path: "/scenarios/{scenarioId}/start",
            arguments: [scenarioID()],
            result: .confirmation("Scenario {scenarioId} is active."),
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "scenarios_deactivate", group: "scenarios", title: "Deactivate a scenario",
            description: "Turns a scenario off so it no longer runs on its schedule or triggers; a run in progress "
                + "is stopped. Returns a confirmation.",
            scope: "scenarios:write", annotations: idempotentWrite,
            method: "POST", path: "/scenarios/{scenarioId}/stop",
            arguments: [scenarioID()],
            result: .confirmation("Scenario {scenarioId} is inactive."),
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "scenarios_run", group: "scenarios", title: "Run a scenario",
            description: "Starts a run of an active scenario now, passing its inputs (see scenarios_interface). "
                + "Returns the executionId, and with responsive=true also the status and outputs; follow up with "
                + "executions_get-detail.",
            scope: "scenarios:run", annotations: openWorld(destructive),
            method: "POST", path: "/scenarios/{scenarioId}/run",
            arguments: [
                scenarioID(),
                optional(
                    "data", anyObject, .body,
                    "Input values keyed by the input names of scenarios_interface; required inputs must be "
                        + "given."),
                optional(
                    "responsive", boolean, .body,
                    "true waits up to 40 seconds for the run to finish and returns its status and outputs; "
                        + "false or left out returns at once with only the executionId."),
                optional(
                    "callbackUrl", string(format: "uri"), .body,
                    "URL Make posts {executionId, statusUrl} to when a run outlasts the responsive wait."),
            ],
            result: .wholeBody,
            isInDefaultSelection: true,
            outputSchema: object(
                [
                    property("executionId", string(), "ID of the run, for executions_get and executions_get-detail."),
                    property(
                        "status", ["type": ["integer", "string"]],
                        "Outcome when the run finished in time: 1 success, 2 warning, 3 error."),
                    property("outputs", nullable(anyObject), "Values of the scenario's outputs, when it has any."),
                ], required: ["executionId"])),
        MakeToolDefinition(
            name: "scenarios_interface", group: "scenarios", title: "Get a scenario's inputs and outputs",
            description: "Returns the scenario's interface: the input fields scenarios_run takes in `data` and the "
                + "output fields a run returns (either may be null).",
            scope: "scenarios:read", annotations: readOnly,
            method: "GET", path: "/scenarios/{scenarioId}/interface",
            arguments: [scenarioID()],
            result: .unwrap("interface"),
            isInDefaultSelection: true,
            outputSchema: object([
                property("input", nullable(array(of: anyObject)), "Input fields."),
                property("output", nullable(array(of: anyObject)), "Output fields."),
            ])),
        MakeToolDefinition(
            name: "scenarios_set-interface", group: "scenarios", title: "Set a scenario's inputs and outputs",
            description: "Replaces the scenario's input and output fields. The scenario must be scheduled on-demand "
                + "(error IM016 otherwise). Returns the new interface.",
            scope: "scenarios:write", annotations: idempotentWrite,
            method: "PATCH", path: "/scenarios/{scenarioId}/interface",
            arguments: [
                scenarioID(),
                required(
                    "interface", scenarioInterface, .body,
                    "The new interface: {input: [fields], output: [fields]}, each field like a data-structure "
                        + "field ({name, type, label, required, …})."),
            ],
            result: .unwrap("interface"),
            isInDefaultSelection: true),
    ]
}
