internal import MCPProtocol

// The nested input shapes of make-catalog.md §3, as JSON Schema. The validator has no `$ref`, so the recursive
// ones (a blueprint route holds more modules, a field option holds more fields) are spelled out one level deep and
// left open below that.

extension MakeCatalog {
    /// Days of the week (0 = Sunday) or of the month (1–31).
    private static let dayNumbers = array(of: integer(minimum: 0, maximum: 31))
    private static let monthNumbers = array(of: integer(minimum: 1, maximum: 12))
    private static let clockTime = string(pattern: "^([01]?[0-9]|2[0-3]):[0-5][0-9]$")

    /// When a scenario runs. Make rejects unknown keys here, so the schema does too.
    static let scheduling: JSONValue = object(
        [
            property(
                "type",
                enumeration([
                    "immediately", "indefinitely", "once", "daily", "weekly", "monthly",
                    "yearly", "on-demand",
                ]),
                "immediately: on each incoming webhook or event; indefinitely: every `interval` seconds; once: "
                    + "at `date`; daily, weekly, monthly, yearly: at `time` on `days`/`months`; on-demand: only "
                    + "when run by hand or through scenarios_run."),
            property("interval", integer(minimum: 60), "Seconds between runs, at least 60 (type indefinitely)."),
            property(
                "date", string(format: "date-time"),
                "ISO 8601 date-time of the single run, such as 2025-06-01T09:00:00Z (type once)."),
            property(
                "days", dayNumbers,
                "Weekdays for weekly (0 = Sunday … 6 = Saturday), or days of the month 1–31 for monthly and yearly."),
            property("months", monthNumbers, "Months 1–12 (type yearly)."),
            property("time", clockTime, "Time of day as HH:MM, such as 09:00 (daily, weekly, monthly, yearly)."),
            property(
                "between", array(of: string()),
                "Optional window as two ISO 8601 date-times, start then end; runs happen only inside it."),
            property(
                "restrict",
                array(
                    of: object([
                        property("days", dayNumbers, "Allowed weekdays (0 = Sunday) or days of the month."),
                        property("months", monthNumbers, "Allowed months 1–12."),
                        property("time", array(of: clockTime), "Allowed time range as [from, to], each HH:MM."),
                    ])), "Optional restrictions: runs happen only on these days, months or times."),
        ],
        required: ["type"], closed: true)

    /// One module in a blueprint's `flow`. `routes[].flow` (router branches) and `onerror` hold modules of the same
    /// shape; those are accepted as plain objects.
    private static let blueprintModule: JSONValue = object(
        [
            property("id", id, "Module number, unique within the blueprint."),
            property(
                "module", string(pattern: "^[^:\\s]+:\\S+$"),
                "App and module as app:ModuleName, such as gateway:CustomWebHook or json:ParseJSON."),
            property("version", id, "Version of the module."),
            property("parameters", anyObject, "Static module settings (connection ids, hook ids, …)."),
            property("mapper", anyObject, "Mapped input fields; values may use {{n.field}} references."),
            property("metadata", anyObject, "Designer metadata such as the module's position."),
            property(
                "routes", array(of: object([property("flow", array(of: anyObject), "Modules of this route.")])),
                "Branches of a router module, each with its own flow."),
            property("onerror", array(of: anyObject), "Error-handler modules for this module."),
            property(
                "filter",
                object([
                    property("name", string(), "Label of the filter."),
                    property(
                        "conditions",
                        array(
                            of: array(
                                of: object([
                                    property("a", anyValue, "Left operand."),
                                    property("o", string(), "Operator, such as text:equal or number:greater."),
                                    property("b", anyValue, "Right operand, if the operator takes one."),
                                ]))), "OR-list of AND-lists of conditions."),
                ]), "Filter that bundles must pass to reach this module."),
        ],
        required: ["id", "module", "version"])

    /// A scenario blueprint as scenarios_get returns it; extra keys (including `scheduling` and `interface`) are
    /// allowed and are normalised before sending (make-catalog.md §2).
    static let blueprint: JSONValue = object(
        [
            property("name", string(), "Name of the scenario."),
            property("flow", array(of: blueprintModule), "The modules, in order."),
            property("metadata", anyObject, "Blueprint metadata, such as {\"version\": 1}."),
        ],
        required: ["name", "flow", "metadata"])

    /// One field of a data structure or of a scenario's interface.
    static let dataStructureField: JSONValue = object(
        [
            property("name", string(minLength: 1), "Field key."),
            property(
                "type", string(minLength: 1),
                "Field type: text, number, boolean, date, json, select, array, collection, …"),
            property("label", string(), "Label shown in Make."),
            property("help", string(), "Help text shown in Make."),
            property("default", ["type": ["string", "number", "boolean", "null"]], "Default value."),
            property("required", boolean, "Whether a value is required."),
            property("multiline", boolean, "Whether a text field takes several lines."),
            property(
                "options",
                array(
                    of: object(
                        [
                            property("label", string(), "Label of the option."),
                            property("value", anyValue, "Value of the option."),
                            property("nested", array(of: anyObject), "Fields shown when this option is picked."),
                        ], required: ["label", "value"])), "Choices of a select field."),
            property("spec", anyValue, "Item fields of an array field, or member fields of a collection."),
        ],
        required: ["name", "type"])

    /// A scenario's inputs and outputs.
    static let scenarioInterface: JSONValue = object(
        [
            property(
                "input", array(of: dataStructureField),
                "Input fields, which scenarios_run takes in `data`; an empty list removes the inputs."),
            property("output", array(of: dataStructureField), "Output fields a run returns."),
        ],
        closed: true)

    /// An app (and optionally its modules or endpoints) a credential request asks a user to connect.
    static let credentialSelection: JSONValue = object(
        [
            property("appName", string(minLength: 1), "Name of the app, such as google-sheets."),
            property(
                "appModules", array(of: string(), minItems: 1), "Modules of the app that will use the credential."),
            property("appEndpoints", array(of: string(), minItems: 1), "Endpoints of the app that will use it."),
            property("appVersion", id, "Version of the app."),
            property("nameOverride", string(), "Name for the resulting connection or key."),
            property("description", string(), "Note shown to the person asked for the credential."),
        ],
        required: ["appName"])

    /// A connection asked for by type in credential-requests_create-by-credentials.
    static let connectionCredential: JSONValue = object(
        [
            property("type", string(minLength: 1), "Connection type, such as google or slack2."),
            property("description", string(), "Note shown to the person asked for the credential."),
            property("scope", array(of: string()), "OAuth scopes to request."),
            property(
                "prefill",
                object([
                    property("hard", anyObject, "Values filled in and locked."),
                    property("soft", anyObject, "Values filled in but editable."),
                ]), "Values to fill in for the person."),
            property("nameOverride", string(), "Name for the resulting connection."),
        ],
        required: ["type"])

    /// A key asked for by type in credential-requests_create-by-credentials.
    static let keyCredential: JSONValue = object(
        [
            property("type", string(minLength: 1), "Key type, such as basicauth or apikeyauth."),
            property("description", string(), "Note shown to the person asked for the credential."),
            property(
                "prefill",
                object([
                    property("hard", anyObject, "Values filled in and locked."),
                    property("soft", anyObject, "Values filled in but editable."),
                ]), "Values to fill in for the person."),
            property("nameOverride", string(), "Name for the resulting key."),
        ],
        required: ["type"])

    /// Options of a dropdown or multiselect custom property.
    static let customPropertyOptions: JSONValue = array(
        of: object(
            [property("value", string(), "The option's value.")], required: ["value"]))

    /// Types a custom scenario property can have.
    static let customPropertyType = enumeration(
        ["boolean", "number", "shortText", "longText", "date", "dropdown", "multiselect"])

    /// Category of a role: organization-wide or per team.
    static let roleCategory = enumeration(["organization", "team"])
}
