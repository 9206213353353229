import Foundation
import PromotionEngine
import Storage

/// Creating a Management API key, for the API and the Campaign Manager alike: checks the request, stores the
/// key's hash, and returns the secret (shown once).
public enum ManagementKeys {
    public struct Request: Sendable {
        public var name: String
        public var expiryDate: Date
        public var endpoints: [ManagementKeyEndpoint]
        /// Empty: every application of the account.
        public var allowedApplicationIds: [Int64]

        public init(name: String, expiryDate: Date, endpoints: [ManagementKeyEndpoint], allowedApplicationIds: [Int64]) {
            self.name = name
            self.expiryDate = expiryDate
            self.endpoints = endpoints
            self.allowedApplicationIds = allowedApplicationIds
        }

        public func validate(now: Date) -> [ValidationIssue] {
            var issues: [ValidationIssue] = []
            if name.trimmingCharacters(in: .whitespaces).isEmpty {
                issues.append(.init(pointer: "/name", message: "must not be empty"))
            }
            if expiryDate <= now { issues.append(.init(pointer: "/expiryDate", message: "must be in the future")) }
            for (index, endpoint) in endpoints.enumerated() where !endpoint.path.hasPrefix("/") {
                issues.append(.init(pointer: "/endpoints/\(index)/path", message: "must be a path starting with /"))
            }
            return issues
        }
    }

    public static func create(store: any Store, accountId: Int64, userId: Int64, request: Request, now: Date = Date())
        async throws -> (key: ManagementKey, secret: String)
    {
        let issues = request.validate(now: now)
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        let secret = Secret.generate()
        let key = try await store.createManagementKey(ManagementKey(
            id: 0, accountId: accountId, createdBy: userId, name: request.name, keyHash: Secret.storageHash(secret),
            expiryDate: request.expiryDate.storagePrecision, endpoints: request.endpoints,
            allowedApplicationIds: request.allowedApplicationIds, created: now.storagePrecision
        ))
        return (key, secret)
    }
}
