internal import MCPProtocol

extension MakeCatalog {
    /// make-catalog.md §6 "enums" (4): lookup lists, plus `connected-system_list-apps`, which the SDK defines here.
    static let enums: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "enums_countries", group: "enums", title: "List countries",
            description: "Lists the countries Make knows, with the ids organizations_create and "
                + "organizations_update take as countryId.",
            scope: nil, annotations: readOnly,
            method: "GET", path: "/enums/countries",
            arguments: [],
            result: .unwrap("countries")),
        MakeToolDefinition(
            name: "enums_regions", group: "enums", title: "List regions",
            description: "Lists Make's regions (zones), with the ids organizations_create takes as regionId.",
            scope: nil, annotations: readOnly,
            method: "GET", path: "/enums/imt-regions",
            arguments: [],
            result: .unwrap("imtRegions")),
        MakeToolDefinition(
            name: "enums_timezones", group: "enums", title: "List time zones",
            description: "Lists the time zones Make knows, with the ids organizations_create and "
                + "organizations_update take as timezoneId.",
            scope: nil, annotations: readOnly,
            method: "GET", path: "/enums/timezones",
            arguments: [],
            result: .unwrap("timezones")),
        MakeToolDefinition(
            name: "connected-system_list-apps", group: "connected-system",
            title: "List apps usable with on-prem agents",
            description: "Lists the apps that can reach systems through an on-prem agent, with the names "
                + "connected-system_create and on-prem-agent_get-app-config take as appName.",
            scope: "agents:read", annotations: readOnly,
            method: "GET", path: "/enums/connected-system-apps",
            arguments: [],
            result: .unwrap("connectedSystemApps")),
    ]
}
