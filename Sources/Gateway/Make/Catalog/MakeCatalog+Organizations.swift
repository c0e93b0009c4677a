internal import MCPProtocol

extension MakeCatalog {
    private static let organizationPathID = organizationID(.path)

    /// make-catalog.md §6 "organizations" (5).
    static let organizations: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "organizations_list", group: "organizations", title: "List organizations",
            description: "Lists the organizations the user belongs to with all their columns, including each one's "
                + "zone and teams: the usual first step to find organizationId and teamId.",
            scope: "organizations:read", annotations: readOnly,
            method: "GET", path: "/organizations", fixedQuery: allColumns,
            arguments: [],
            result: .unwrap("organizations"),
            // Fix: the endpoint answers with `pg` and honours pg[…]; the SDK tool exposed no paging.
            isPaginated: true, isInDefaultSelection: true),
        MakeToolDefinition(
            name: "organizations_get", group: "organizations", title: "Get an organization",
            description: "Returns one organization: zone, teams, plan limits (license, including the API rate "
                + "limit) and usage.",
            scope: "organizations:read", annotations: readOnly,
            method: "GET", path: "/organizations/{organizationId}",
            arguments: [organizationPathID],
            result: .unwrap("organization"),
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "organizations_create", group: "organizations", title: "Create an organization",
            description: "Creates an organization in a region. Look up regionId with enums_regions, timezoneId with "
                + "enums_timezones and countryId with enums_countries. Returns the organization.",
            scope: "organizations:write", annotations: idempotentWrite,
            method: "POST", path: "/organizations",
            arguments: [
                required("name", string(minLength: 1), .body, "Name of the organization."),
                required("regionId", id, .body, "Region (zone) to create it in. Find it with enums_regions."),
                required("timezoneId", id, .body, "Time zone. Find it with enums_timezones."),
                required("countryId", id, .body, "Country. Find it with enums_countries."),
            ],
            result: .unwrap("organization")),
        MakeToolDefinition(
            name: "organizations_update", group: "organizations", title: "Update an organization",
            description: "Renames an organization or changes its country or time zone. Returns the organization.",
            scope: "organizations:write", annotations: destructiveIdempotent,
            method: "PATCH", path: "/organizations/{organizationId}",
            arguments: [
                organizationPathID,
                optional("name", string(minLength: 1), .body, "New name."),
                optional("countryId", id, .body, "New country (enums_countries)."),
                optional("timezoneId", id, .body, "New time zone (enums_timezones)."),
            ],
            result: .unwrap("organization")),
        MakeToolDefinition(
            name: "organizations_delete", group: "organizations", title: "Delete an organization",
            description: "Deletes an organization with all its teams and their data. Returns a confirmation.",
            scope: "organizations:write", annotations: destructive,
            method: "DELETE", path: "/organizations/{organizationId}", fixedQuery: confirmed,
            arguments: [organizationPathID],
            result: .confirmation("Organization {organizationId} deleted.")),
    ]
}
