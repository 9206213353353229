import Foundation

/// Sconto's view of a customer: attributes from the shop plus what closed sessions added up.
public struct CustomerProfile: Sendable, Hashable {
    public var id: Int64
    public var integrationId: String
    public var accountId: Int64
    public var applicationId: Int64
    public var attributes: [String: JSONValue]
    public var closedSessions: Int
    /// Σ of closed sessions' totals before discounts.
    public var totalSales: Decimal
    public var created: Date
    public var lastActivity: Date

    public init(
        id: Int64 = 0, integrationId: String, accountId: Int64, applicationId: Int64,
        attributes: [String: JSONValue] = [:], closedSessions: Int = 0, totalSales: Decimal = 0, created: Date,
        lastActivity: Date
    ) {
        self.id = id
        self.integrationId = integrationId
        self.accountId = accountId
        self.applicationId = applicationId
        self.attributes = attributes
        self.closedSessions = closedSessions
        self.totalSales = totalSales
        self.created = created
        self.lastActivity = lastActivity
    }
}
