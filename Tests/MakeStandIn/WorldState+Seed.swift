import Foundation

/// The world the stand-in starts with. Ids are fixed so tests can rely on them (see the README comment in
/// `MakeStandIn.swift`).
extension WorldState {
    static func seeded(zone: String, longRunDuration: Duration) -> WorldState {
        let now = Date()
        var state = WorldState(zone: zone)
        state.seedAccount(now: now)
        state.seedScenarios(now: now, longRunDuration: longRunDuration)
        state.seedHistory(now: now)
        state.seedIntegrations(zone: zone, now: now)
        state.seedDataStores()
        state.seedOrganizationExtras(now: now)
        state.seedCustomApp()
        return state
    }

    // MARK: - Organization, teams, user, folders

    private mutating func seedAccount(now: Date) {
        add(
            .organization,
            [
                "id": 1, "name": "Stand-in Org", "countryId": 1, "timezoneId": 113, "regionId": 1,
                "zone": .string(zone), "serviceName": "default", "isPaused": false, "productName": "Core",
                "license": [
                    "apiLimit": 60, "operations": 10000, "transfer": 1_073_741_824, "interval": "monthly",
                    "onDemandScheduling": true, "scenarioIO": true,
                ],
            ])
        add(.team, ["id": 1, "name": "Marketing", "organizationId": 1, "type": "standard"])
        add(.team, ["id": 2, "name": "Operations", "organizationId": 1, "type": "standard"])
        add(
            .privateSpace,
            [
                "id": 3, "name": "Ada's private space", "organizationId": 1, "externalId": "ada",
                "operationsLimit": nil, "type": "personal",
            ])
        user = [
            "id": 1, "name": "Ada Lovelace", "email": "ada@example.com", "language": "en",
            "timezoneId": 113, "localeId": 1, "countryId": 1, "features": [:], "avatar": "",
            "lastLogin": .date(now),
        ]
        add(.folder, ["id": 1, "name": "Customer support", "teamId": 1, "parentId": nil, "position": 1])
        add(.folder, ["id": 2, "name": "Reports", "teamId": 1, "parentId": nil, "position": 2])
        add(.folder, ["id": 3, "name": "Intake", "teamId": 2, "parentId": nil, "position": 1])
    }

    // MARK: - Scenarios

    private mutating func seedScenarios(now: Date, longRunDuration: Duration) {
        let created = now.addingTimeInterval(-30 * 86_400)
        scenarios = [
            Scenario(
                id: 1, teamID: 1, folderID: 1, hookID: nil, name: "Create support ticket",
                description: "Opens a ticket in the support desk and returns its id.", isActive: true,
                scheduling: ["type": "on-demand"],
                blueprint: Scenario.blueprint(
                    named: "Create support ticket",
                    modules: [
                        "scenario-service:StartSubscenario", "http:ActionSendData",
                        "scenario-service:ReturnData",
                    ]),
                input: Self.ticketInputs, output: Self.ticketOutputs, customProperties: ["owner": "Ada"],
                created: created, lastEdit: created,
                run: .init(
                    duration: .zero,
                    outputs: [
                        "ticketId": 4711, "status": "open",
                        "url": "https://support.example.com/tickets/4711",
                    ],
                    echoInputsKey: "received")),
            Scenario(
                id: 2, teamID: 1, folderID: 2, hookID: nil, name: "Generate monthly report",
                description: "Builds the monthly sales report; takes a while.", isActive: true,
                scheduling: ["type": "on-demand"],
                blueprint: Scenario.blueprint(
                    named: "Generate monthly report",
                    modules: [
                        "scenario-service:StartSubscenario",
                        "google-sheets:filterRows", "scenario-service:ReturnData",
                    ]),
                input: [
                    [
                        "name": "month", "type": "text", "label": "Month", "help": "The month as YYYY-MM.",
                        "required": true, "default": nil, "multiline": false,
                    ],
                    [
                        "name": "format", "type": "select", "label": "Format", "required": false, "default": "pdf",
                        "options": [["value": "pdf", "label": "PDF"], ["value": "csv", "label": "CSV"]],
                    ],
                ],
                output: [
                    ["name": "reportUrl", "type": "text", "label": "Report URL"],
                    ["name": "rows", "type": "number", "label": "Rows"],
                ],
                created: created, lastEdit: created,
                run: .init(
                    duration: longRunDuration,
                    outputs: ["reportUrl": "https://reports.example.com/2025-01.pdf", "rows": 1284])),
            Scenario(
                id: 3, teamID: 1, folderID: nil, hookID: nil, name: "Sync CRM contacts",
                description: "Copies new CRM contacts to the newsletter list every 15 minutes.", isActive: true,
                scheduling: ["type": "indefinitely", "interval": 900],
                blueprint: Scenario.blueprint(
                    named: "Sync CRM contacts",
                    modules: ["hubspotcrm:watchContacts", "mailchimp:addSubscriber"]),
                input: nil, output: nil, customProperties: ["owner": "Grace", "priority": "high"],
                created: created, lastEdit: created, run: .init()),
            Scenario(
                id: 4, teamID: 1, folderID: 1, hookID: nil, name: "Slack digest (draft)",
                description: "Posts a digest to a Slack channel.", isActive: false,
                scheduling: ["type": "on-demand"],
                blueprint: Scenario.blueprint(
                    named: "Slack digest (draft)",
                    modules: [
                        "scenario-service:StartSubscenario",
                        "slack:CreateMessage",
                    ]),
                input: [["name": "channel", "type": "text", "label": "Channel", "required": true]],
                output: [["name": "posted", "type": "boolean", "label": "Posted"]],
                created: created, lastEdit: created, run: .init(outputs: ["posted": true])),
            Scenario(
                id: 5, teamID: 2, folderID: 3, hookID: 1, name: "Webhook intake",
                description: "Stores requests that arrive at the intake webhook.", isActive: true,
                scheduling: ["type": "immediately"],
                blueprint: Scenario.blueprint(
                    named: "Webhook intake",
                    modules: ["gateway:CustomWebHook", "datastore:AddRecord"]),
                input: nil, output: nil, created: created, lastEdit: created, run: .init()),
            Scenario(
                id: 6, teamID: 2, folderID: nil, hookID: nil, name: "Import invoices",
                description: "Imports invoices from Xero; its connection has expired, so runs fail.",
                isActive: true, scheduling: ["type": "on-demand"],
                blueprint: Scenario.blueprint(
                    named: "Import invoices",
                    modules: [
                        "scenario-service:StartSubscenario", "xero:listInvoices",
                        "scenario-service:ReturnData",
                    ]),
                input: [["name": "since", "type": "date", "label": "Since", "required": true]],
                output: [["name": "imported", "type": "number", "label": "Imported"]],
                created: created, lastEdit: created,
                run: .init(failure: "Connection 'Xero (expired)' could not be verified.")),
        ]
    }

    /// Every input type a scenario interface knows, one of them required.
    static let ticketInputs: [JSON] = [
        [
            "name": "subject", "type": "text", "label": "Subject", "help": "One line describing the problem.",
            "required": true, "default": nil, "multiline": false,
        ],
        [
            "name": "priority", "type": "select", "label": "Priority", "required": false, "default": "normal",
            "options": [
                ["value": "low", "label": "Low"], ["value": "normal", "label": "Normal"],
                ["value": "high", "label": "High"],
            ],
        ],
        ["name": "estimateHours", "type": "number", "label": "Estimate (hours)", "required": false],
        ["name": "urgent", "type": "boolean", "label": "Urgent", "required": false, "default": false],
        ["name": "dueDate", "type": "date", "label": "Due date", "required": false],
        [
            "name": "tags", "type": "array", "label": "Tags", "required": false,
            "spec": ["name": "value", "type": "text", "label": "Tag"],
        ],
        [
            "name": "customer", "type": "collection", "label": "Customer", "required": false,
            "spec": [
                ["name": "name", "type": "text", "label": "Name", "required": true],
                ["name": "email", "type": "text", "label": "Email", "required": false],
            ],
        ],
    ]

    static let ticketOutputs: [JSON] = [
        ["name": "ticketId", "type": "number", "label": "Ticket id"],
        ["name": "status", "type": "text", "label": "Status"],
        ["name": "url", "type": "text", "label": "Ticket URL"],
        ["name": "received", "type": "collection", "label": "Inputs received"],
    ]

    // MARK: - Executions and incomplete executions

    private mutating func seedHistory(now: Date) {
        func past(
            _ scenarioID: Int, teamID: Int, hoursAgo: Double, seconds: Int, type: String,
            failure: String? = nil, outputs: JSON = [:]
        ) -> Execution {
            Execution(
                id: RandomID.hex(32), scenarioID: scenarioID, teamID: teamID, organizationID: 1,
                authorID: type == "manual" ? 1 : nil, startedAt: now.addingTimeInterval(-hoursAgo * 3600),
                started: .now - .seconds(seconds), duration: .seconds(seconds), outputs: outputs,
                failure: failure, type: type)
        }
        let ticket: JSON = ["ticketId": 4690, "status": "open", "url": "https://support.example.com/tickets/4690"]
        executions = [
            past(1, teamID: 1, hoursAgo: 26, seconds: 2, type: "manual", outputs: ticket),
            past(1, teamID: 1, hoursAgo: 3, seconds: 1, type: "manual", outputs: ticket),
            past(3, teamID: 1, hoursAgo: 0.75, seconds: 4, type: "auto"),
            past(
                3, teamID: 1, hoursAgo: 0.5, seconds: 5, type: "auto",
                failure: "The operation timed out."),
            past(3, teamID: 1, hoursAgo: 0.25, seconds: 3, type: "auto"),
        ]
        let failedRun = executions[3]
        let dlqIDs = ["5f1a0c3e9b7d4e2a8c6b1d0e3f2a4b5c", "a07e16f2ad134bf49cf83a00aa95c0a5"]
        for (index, id) in dlqIDs.enumerated() {
            add(
                .incompleteExecution,
                [
                    "id": .string(id), "scenarioId": 3, "scenarioName": "Sync CRM contacts", "companyId": 1,
                    "companyName": "Stand-in Org", "reason": "The operation timed out.",
                    "created": .date(now.addingTimeInterval(-Double(1800 - index * 60))), "size": 512,
                    "resolved": false, "deleted": false, "retry": true, "attempts": .int(index + 1),
                    "index": .int(index + 1), "executionId": .string(failedRun.id),
                ])
        }
        var retry = past(3, teamID: 1, hoursAgo: 0.4, seconds: 2, type: "auto", failure: "The operation timed out.")
        retry.incompleteExecutionID = dlqIDs[0]
        executions.append(retry)
    }

    // MARK: - Connections, hooks, keys, devices, functions, credential requests

    private mutating func seedIntegrations(zone: String, now: Date) {
        add(
            .connection,
            [
                "id": 1, "name": "Gmail (ada@example.com)", "accountName": "google-email", "accountLabel": "Gmail",
                "packageName": nil, "expire": nil, "metadata": ["value": "ada@example.com", "type": "email"],
                "teamId": 1, "organizationId": 1, "theme": "#db4437", "upgradeable": false, "scopesCnt": 2,
                "scoped": true, "accountType": "oauth", "editable": false, "uid": nil,
                "scopes": [
                    ["id": "https://www.googleapis.com/auth/gmail.send", "account": "google-email"],
                    ["id": "https://www.googleapis.com/auth/gmail.readonly", "account": "google-email"],
                ],
            ])
        add(
            .connection,
            [
                "id": 2, "name": "Slack (support workspace)", "accountName": "slack2", "accountLabel": "Slack",
                "packageName": nil, "expire": nil, "metadata": ["value": "support-workspace", "type": "text"],
                "teamId": 1, "organizationId": 1, "theme": "#4a154b", "upgradeable": false, "scopesCnt": 1,
                "scoped": true, "accountType": "oauth", "editable": false, "uid": nil,
                "scopes": [["id": "chat:write", "account": "slack2"]],
            ])
        add(
            .connection,
            [
                "id": 3, "name": "Xero (expired)", "accountName": "xero", "accountLabel": "Xero", "packageName": nil,
                "expire": .date(now.addingTimeInterval(-86_400)), "metadata": [:], "teamId": 2, "organizationId": 1,
                "theme": "#13b5ea", "upgradeable": true, "scopesCnt": 0, "scoped": false, "accountType": "oauth",
                "editable": false, "uid": nil, "scopes": [],
            ])
        add(
            .connection,
            [
                "id": 4, "name": "Ticket desk API", "accountName": "http-basic-auth", "accountLabel": "HTTP",
                "packageName": nil, "expire": nil, "metadata": [:], "teamId": 2, "organizationId": 1,
                "theme": "#008cff", "upgradeable": false, "scopesCnt": 0, "scoped": false, "accountType": "basic",
                "editable": true, "uid": nil, "scopes": [],
            ])
        unverifiableConnections = [3]

        add(
            .hook,
            Self.hook(
                id: 1, name: "Intake webhook", teamID: 2, typeName: "gateway-webhook",
                udid: "k3v9s2m1q8w7e6r5t4y3u2i1o0p9a8s7", zone: zone, scenarioID: 5))
        add(
            .hook,
            Self.hook(
                id: 2, name: "Support mailbox", teamID: 1, typeName: "gateway-mailhook",
                udid: "m4b8n2v6c1x5z9l3k7j2h6g1f5d9s3a7", zone: zone, scenarioID: nil))
        add(
            .device,
            [
                "id": 1, "name": "Ada's phone", "teamId": 1, "typeName": "ios", "udid": "ios-5f2c",
                "scope": "team",
            ])
        add(
            .key,
            [
                "id": 1, "name": "Intake API key", "teamId": 2, "typeName": "apikeyauth", "packageName": nil,
                "theme": "#3f4c6b", "parameters": ["key": "intake-secret-key"],
            ])
        add(
            .function,
            [
                "id": 1, "name": "formatCurrency", "description": "Formats an amount with a currency code.",
                "code":
                    "function formatCurrency(amount, currency) {\n    return amount.toFixed(2) + ' ' + currency;\n}",
                "args": "(amount, currency)", "teamId": 1, "createdByUser": ["id": 1, "name": "Ada Lovelace"],
                "created": .date(now), "updated": .date(now),
            ])
        let requestID = "7d1c6a8e-2b4f-4c1a-9e3d-5f6a7b8c9d0e"
        add(
            .credentialRequest,
            [
                "id": .string(requestID), "name": "Connect the support Slack", "description": "For the digest.",
                "teamId": 1, "userId": 1, "status": "pending", "makeProviderId": nil, "created": .date(now),
                "publicUri": .string("http://\(zone)/credential-requests/\(requestID)"),
            ])
        add(
            .credential,
            [
                "id": "3c2b1a09-8f7e-4d6c-b5a4-392817263544", "requestId": .string(requestID), "type": "connection",
                "appName": "slack2", "status": "pending", "nameOverride": nil, "description": "Slack workspace",
            ])
    }

    /// A hook as the API shows it (make-api.md §5.5, "Hook object").
    static func hook(
        id: Int, name: String, teamID: Int, typeName: String, udid: String, zone: String,
        scenarioID: Int?
    ) -> JSON {
        let isMail = typeName == "gateway-mailhook"
        return [
            "id": .int(id), "name": .string(name), "teamId": .int(teamID), "udid": .string(udid),
            "type": isMail ? "mail" : "web", "packageName": nil, "theme": "#c73a63", "editable": true,
            "queueCount": 0, "queueLimit": 10000, "enabled": true, "gone": false, "typeName": .string(typeName),
            "data": [
                "ip": nil, "udt": nil, "headers": false, "method": false, "stringify": false,
                "teamId": .int(teamID),
            ],
            "scenarioId": JSON(scenarioID),
            "url": .string(isMail ? "\(udid)@hook.\(zone)" : "http://\(zone)/hooks/\(udid)"),
        ]
    }

    // MARK: - Data structures and data stores

    private mutating func seedDataStores() {
        add(
            .dataStructure,
            [
                "id": 1, "name": "Customer", "teamId": 1, "strict": false,
                "spec": [
                    ["name": "name", "type": "text", "label": "Name", "required": true],
                    ["name": "email", "type": "text", "label": "Email", "required": true],
                    [
                        "name": "tier", "type": "select", "label": "Tier",
                        "options": [
                            ["value": "bronze", "label": "Bronze"], ["value": "silver", "label": "Silver"],
                            ["value": "gold", "label": "Gold"],
                        ],
                    ],
                    ["name": "lifetimeValue", "type": "number", "label": "Lifetime value"],
                    ["name": "active", "type": "boolean", "label": "Active"],
                ],
            ])
        add(
            .dataStructure,
            [
                "id": 2, "name": "Invoice", "teamId": 2, "strict": true,
                "spec": [
                    ["name": "number", "type": "text", "label": "Number", "required": true],
                    ["name": "amount", "type": "number", "label": "Amount", "required": true],
                    ["name": "paid", "type": "boolean", "label": "Paid"],
                ],
            ])
        add(.dataStore, ["id": 1, "name": "Customers", "teamId": 1, "datastructureId": 1, "maxSizeMB": 10])
        add(.dataStore, ["id": 2, "name": "Invoices", "teamId": 2, "datastructureId": 2, "maxSizeMB": 1])
        let names = ["Ada", "Grace", "Alan", "Barbara", "Edsger", "Donald", "Margaret", "Ken", "Dennis", "Linus"]
        let tiers: [JSON] = ["bronze", "silver", "gold"]
        records[1] = (1...30).map { number in
            let name = "\(names[(number - 1) % names.count]) \(["Smith", "Jones", "Brown"][(number - 1) / 10])"
            let key = "cust-" + String(repeating: "0", count: 3 - String(number).count) + String(number)
            return DataStoreRecord(
                key: key,
                data: [
                    "name": .string(name), "email": .string("customer\(number)@example.com"),
                    "tier": tiers[number % 3], "lifetimeValue": .int(number * 125), "active": .bool(number % 4 != 0),
                ])
        }
        records[2] = []
    }

    // MARK: - Organization extras: roles, custom properties, agents, templates

    private mutating func seedOrganizationExtras(now: Date) {
        let permissions: [(Int, String, String)] = [
            (1, "scenario:read", "team"), (2, "scenario:write", "team"), (3, "scenario:run", "team"),
            (4, "connection:write", "team"), (5, "datastore:write", "team"), (6, "team:manage", "team"),
            (21, "organization:view", "organization"), (22, "organization:manage", "organization"),
            (23, "billing:manage", "organization"), (24, "users:manage", "organization"),
        ]
        for (id, name, category) in permissions {
            add(.permission, ["id": .int(id), "name": .string(name), "category": .string(category)])
        }
        let roles: [(Int, String, String, [Int])] = [
            (1, "Owner", "organization", [21, 22, 23, 24]), (2, "Admin", "organization", [21, 22, 24]),
            (3, "Member", "organization", [21]), (4, "Accountant", "organization", [21, 23]),
            (11, "Team Admin", "team", [1, 2, 3, 4, 5, 6]), (12, "Team Member", "team", [1, 2, 3, 4, 5]),
            (13, "Team Monitoring", "team", [1]), (14, "Team Operator", "team", [1, 3]),
        ]
        for (id, name, category, granted) in roles {
            add(
                .role,
                [
                    "id": .int(id), "name": .string(name), "category": .string(category),
                    "description": nil, "organizationId": nil, "custom": false,
                    "permissions": .array(granted.map(JSON.int)),
                ])
        }
        add(
            .customPropertyStructure,
            [
                "id": 1, "associatedType": "scenario", "belongerType": "organization",
                "belongerId": 1,
            ])
        add(
            .customPropertyItem,
            [
                "id": 1, "customPropertyStructureId": 1, "name": "owner", "label": "Owner",
                "type": "shortText", "description": "Who looks after the scenario.",
                "options": [], "required": false,
            ])
        add(
            .customPropertyItem,
            [
                "id": 2, "customPropertyStructureId": 1, "name": "priority",
                "label": "Priority", "type": "dropdown", "description": "",
                "options": [["value": "low"], ["value": "normal"], ["value": "high"]],
                "required": false,
            ])
        let agentID = "2f4e6a8c-0b1d-4e3f-a5b7-c9d1e3f5a7b9"
        add(
            .agent,
            [
                "id": .string(agentID), "name": "Berlin on-prem agent", "organizationId": 1,
                "status": "online", "version": "1.4.0", "lastSeen": .date(now),
            ])
        add(
            .connectedSystem,
            [
                "id": "6b8d0f2a-4c6e-4a1b-8d3f-5e7a9c1b3d5f", "name": "Berlin SAP",
                "agentId": .string(agentID), "appName": "sap", "organizationId": 1,
                "inputs": ["host": "sap.internal", "port": 3300],
            ])
        add(
            .publicTemplate,
            [
                "id": 101, "name": "Save Gmail attachments to Google Drive",
                "description": "Uploads every new Gmail attachment to a Drive folder.",
                "url": "save-gmail-attachments-to-google-drive", "usedApps": ["google-email", "google-drive"],
                "usage": 12345, "language": "en",
            ])
        add(
            .publicTemplate,
            [
                "id": 102, "name": "Post new Typeform responses to Slack",
                "description": "Sends each new Typeform response to a Slack channel.",
                "url": "post-typeform-responses-to-slack", "usedApps": ["typeform", "slack2"], "usage": 5321,
                "language": "en",
            ])
    }

    // MARK: - Custom app

    private mutating func seedCustomApp() {
        var app = SDKApp(
            name: "stand-in-crm", version: 1,
            info: [
                "label": "Stand-in CRM", "description": "A CRM used by the stand-in's custom app endpoints.",
                "theme": "#6b5bff", "language": "en", "countries": [], "private": true, "audience": "global",
                "public": false, "approved": false,
            ])
        app.sections = [
            "base": "{\n    // Shared by every module.\n    \"baseUrl\": \"https://crm.example.com/api\"\n}",
            "groups": "[]", "install": "{}", "installSpec": "[]",
        ]
        app.readme = "# Stand-in CRM\n\nContacts and deals.\n"
        app.components[.function] = [
            SDKComponent(
                name: "formatName", info: ["args": "first, last"],
                code: "function formatName(first, last) {\n    return `${first} ${last}`;\n}",
                test: "it('joins', () => assert.equal(formatName('A', 'B'), 'A B'));")
        ]
        app.components[.module] = [
            SDKComponent(
                name: "listContacts",
                info: [
                    "label": "List contacts", "description": "Lists CRM contacts.",
                    "typeId": 9, "public": false, "connection": "stand-in-crm",
                ],
                sections: [
                    "api": "{\"url\": \"/contacts\", \"method\": \"GET\"}", "parameters": "[]",
                    "expect": "[]", "interface": "[]", "samples": "{}", "scope": "[]", "epoch": "{}",
                ])
        ]
        app.components[.rpc] = [
            SDKComponent(
                name: "listTags", info: ["label": "List tags", "connection": nil],
                sections: ["api": "{\"url\": \"/tags\"}", "parameters": "[]"])
        ]
        app.components[.endpoint] = [
            SDKComponent(
                name: "getContact",
                info: [
                    "label": "Get contact", "description": "Reads one contact.",
                    "attachedAccounts": ["stand-in-crm"], "public": false,
                ],
                sections: [
                    "api": "{\"url\": \"/contacts/{{parameters.id}}\"}", "scope": "[]",
                    "inputParameters": "[]", "outputParameters": "[]",
                ])
        ]
        sdkApps = [app]
        sdkConnections = [
            SDKComponent(
                name: "stand-in-crm",
                info: [
                    "appName": "stand-in-crm", "type": "apikey",
                    "label": "Stand-in CRM API key",
                ],
                sections: [
                    "api": "{}", "parameters": "[]", "scopes": "{}", "scope": "[]",
                    "install": "{}", "installSpec": "[]",
                ])
        ]
        sdkWebhooks = [
            SDKComponent(
                name: "stand-in-crm",
                info: [
                    "appName": "stand-in-crm", "type": "web",
                    "label": "New contact",
                ],
                sections: [
                    "api": "{}", "parameters": "[]", "attach": "{}", "detach": "{}",
                    "scope": "[]",
                ])
        ]
    }
}
