import Foundation

/// A person who logs in to the Management API (and later the Campaign Manager).
public struct User: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var accountId: Int64
    public var email: String
    public var name: String
    /// PBKDF2 hash in the form produced by ``PasswordHasher``; never the password itself.
    public var passwordHash: String
    public var created: Date

    public init(id: Int64, accountId: Int64, email: String, name: String, passwordHash: String, created: Date) {
        self.id = id
        self.accountId = accountId
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.created = created
    }
}

/// A Management API login (`POST /v1/sessions`); the bearer token is stored only as its SHA-256.
public struct AuthSession: Sendable, Hashable {
    public var tokenHash: String
    public var userId: Int64
    public var accountId: Int64
    public var created: Date
    public var expires: Date

    public init(tokenHash: String, userId: Int64, accountId: Int64, created: Date, expires: Date) {
        self.tokenHash = tokenHash
        self.userId = userId
        self.accountId = accountId
        self.created = created
        self.expires = expires
    }
}

/// An endpoint a management key may call, e.g. `GET /v1/applications/:applicationId/campaigns`.
public struct ManagementKeyEndpoint: Sendable, Hashable, Codable {
    public var method: String?
    public var path: String

    public init(method: String? = nil, path: String) {
        self.method = method
        self.path = path
    }
}

/// A Management API key (`ManagementKey-v1 <key>`), scoped to endpoints and applications.
public struct ManagementKey: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var accountId: Int64
    public var createdBy: Int64
    public var name: String
    public var keyHash: String
    public var expiryDate: Date
    public var endpoints: [ManagementKeyEndpoint]
    /// Empty means every application of the account.
    public var allowedApplicationIds: [Int64]
    public var created: Date
    public var lastUsed: Date?

    public init(
        id: Int64, accountId: Int64, createdBy: Int64, name: String, keyHash: String, expiryDate: Date,
        endpoints: [ManagementKeyEndpoint], allowedApplicationIds: [Int64], created: Date, lastUsed: Date? = nil
    ) {
        self.id = id
        self.accountId = accountId
        self.createdBy = createdBy
        self.name = name
        self.keyHash = keyHash
        self.expiryDate = expiryDate
        self.endpoints = endpoints
        self.allowedApplicationIds = allowedApplicationIds
        self.created = created
        self.lastUsed = lastUsed
    }
}

/// An Integration API key (`ApiKey-v1 <key>`); the key decides the application.
public struct IntegrationKey: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var accountId: Int64
    public var applicationId: Int64
    public var createdBy: Int64
    public var title: String
    public var keyHash: String
    public var expires: Date
    /// `""` for production, `"staging"` for keys that may only make dry requests.
    public var type: String
    public var platform: String?
    /// Nanoseconds added to "now" when rules are evaluated with this key.
    public var timeOffset: Int64
    public var created: Date

    public init(
        id: Int64, accountId: Int64, applicationId: Int64, createdBy: Int64, title: String, keyHash: String,
        expires: Date, type: String, platform: String?, timeOffset: Int64, created: Date
    ) {
        self.id = id
        self.accountId = accountId
        self.applicationId = applicationId
        self.createdBy = createdBy
        self.title = title
        self.keyHash = keyHash
        self.expires = expires
        self.type = type
        self.platform = platform
        self.timeOffset = timeOffset
        self.created = created
    }

    public var isStaging: Bool { type == "staging" }
}
