/// Fixed lookup lists.
enum Catalogs {
    static let countries: [JSON] = [
        ["id": 1, "name": "Czechia", "code": "CZ"], ["id": 2, "name": "Germany", "code": "DE"],
        ["id": 3, "name": "United Kingdom", "code": "GB"], ["id": 4, "name": "United States", "code": "US"],
        ["id": 5, "name": "France", "code": "FR"],
    ]

    static let regions: [JSON] = [
        ["id": 1, "name": "EU1", "url": "eu1.make.com"], ["id": 2, "name": "EU2", "url": "eu2.make.com"],
        ["id": 3, "name": "US1", "url": "us1.make.com"], ["id": 4, "name": "US2", "url": "us2.make.com"],
    ]

    static let timezones: [JSON] = [
        ["id": 1, "name": "UTC", "offset": "+00:00"], ["id": 113, "name": "Europe/Prague", "offset": "+01:00"],
        ["id": 114, "name": "Europe/Berlin", "offset": "+01:00"],
        ["id": 115, "name": "Europe/London", "offset": "+00:00"],
        ["id": 200, "name": "America/New_York", "offset": "-05:00"],
    ]

    static let connectedSystemApps: [JSON] = [
        ["name": "sap", "label": "SAP ERP"], ["name": "mssql", "label": "Microsoft SQL Server"],
    ]
}
