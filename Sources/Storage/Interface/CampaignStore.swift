import Foundation
import PromotionEngine

/// Filters of `GET /v1/applications/{id}/campaigns`.
public struct CampaignFilter: Sendable {
    public var state: CampaignState?
    public var name: String?
    public var tags: [String] = []
    public var createdBefore: Date?
    public var createdAfter: Date?

    public init() {}
}

/// A campaign with its active ruleset: what the engine compiles.
public struct RunnableCampaign: Sendable {
    public var campaign: Campaign
    public var ruleset: Ruleset

    public init(campaign: Campaign, ruleset: Ruleset) {
        self.campaign = campaign
        self.ruleset = ruleset
    }
}

/// An application's campaign evaluation tree, as saved (Talon.One's `CampaignSet`).
public struct CampaignSet: Sendable, Hashable {
    public var applicationId: Int64
    public var version: Int
    public var tree: EvaluationGroup
    public var updatedBy: String?
    public var updated: Date

    public init(applicationId: Int64, version: Int, tree: EvaluationGroup, updatedBy: String?, updated: Date) {
        self.applicationId = applicationId
        self.version = version
        self.tree = tree
        self.updatedBy = updatedBy
        self.updated = updated
    }
}

/// Campaigns, their ruleset versions and their counters.
public protocol CampaignStore: Sendable {
    func createCampaign(applicationId: Int64, userId: Int64, settings: CampaignSettings, now: Date) async throws
        -> Campaign
    func campaign(id: Int64, applicationId: Int64) async throws -> Campaign
    func campaigns(applicationId: Int64, filter: CampaignFilter, page: PageRequest) async throws -> Page<Campaign>
    /// Replaces the settings; a given `activeRulesetId` must be a ruleset of this campaign.
    func updateCampaign(id: Int64, applicationId: Int64, settings: CampaignSettings, now: Date) async throws -> Campaign
    func deleteCampaign(id: Int64, applicationId: Int64) async throws

    /// Stores a new ruleset version, and makes it the active one when `activate` is true.
    func createRuleset(campaignId: Int64, applicationId: Int64, userId: Int64, rules: [RuleDefinition],
                       bindings: [JSONValue], strikethroughRules: [RuleDefinition], activate: Bool, now: Date)
        async throws -> Ruleset
    func rulesets(campaignId: Int64, applicationId: Int64, page: PageRequest) async throws -> Page<Ruleset>
    func ruleset(id: Int64, campaignId: Int64, applicationId: Int64) async throws -> Ruleset

    /// Enabled campaigns with an active ruleset, in evaluation order (by id), for the engine.
    func runnableCampaigns(applicationId: Int64) async throws -> [RunnableCampaign]
    /// A number that changes whenever the application's campaigns or rulesets change (cache invalidation
    /// that holds across nodes sharing one database).
    func campaignRevision(applicationId: Int64) async throws -> Int64

    /// The application's campaign evaluation tree; nil until one is saved (every campaign stacks).
    func campaignSet(applicationId: Int64) async throws -> CampaignSet?
    /// Replaces the tree as the next version and bumps the campaign revision, so every node's
    /// catalogue picks it up.
    func saveCampaignSet(applicationId: Int64, tree: EvaluationGroup, updatedBy: String?, now: Date) async throws
        -> CampaignSet
}

/// Which coupons a listing, export or batch change means.
public struct CouponFilter: Sendable {
    public var campaignId: Int64?
    /// Substring of the code (the whole code with `exactMatch`).
    public var value: String?
    public var exactMatch = false
    public var batchId: String?
    public var recipientIntegrationId: String?
    public var createdBefore: Date?
    public var createdAfter: Date?
    /// Coupons that can still be redeemed (under their usage limit, not expired) at `now`.
    public var usable: Bool?
    public var now = Date()
    /// Keyset paging: only coupons with a larger id (pages in id order never re-read what came before).
    public var afterId: Int64?

    public init(campaignId: Int64? = nil) { self.campaignId = campaignId }
}

/// Changes to coupons (`PUT …/coupons/{id}` and the batch form); nil leaves a field as it is.
public struct CouponChanges: Sendable {
    public var usageLimit: Int?
    public var discountLimit: Decimal?
    public var startDate: Date?
    public var expiryDate: Date?
    public var recipientIntegrationId: String?
    public var attributes: [String: JSONValue]?
    public var isReservationMandatory: Bool?
    public var implicitlyReserved: Bool?

    public init() {}

    /// The changes kept in the coupon's `details` JSON, as (key, JSON text) pairs, for both backends' updates.
    public func detailChanges() throws -> [(key: String, json: String)] {
        var changes: [(key: String, json: String)] = []
        if let attributes { changes.append(("attributes", try StoredJSON.encode(attributes))) }
        if let isReservationMandatory { changes.append(("isReservationMandatory", "\(isReservationMandatory)")) }
        if let implicitlyReserved { changes.append(("implicitlyReserved", "\(implicitlyReserved)")) }
        return changes
    }
}

/// Coupons of campaigns.
public protocol CouponStore: Sendable {
    /// Inserts codes in one transaction and returns the inserted coupons. Codes that exist in the application
    /// already are skipped, or — with `skipExisting: false` — fail the whole insert with `StoreError.conflict`.
    func insertCoupons(_ coupons: [Coupon], applicationId: Int64, normalizedValues: [String], skipExisting: Bool)
        async throws -> [Coupon]
    func coupons(applicationId: Int64, filter: CouponFilter, page: PageRequest) async throws
        -> (coupons: [Coupon], hasMore: Bool)
    func countCoupons(applicationId: Int64, filter: CouponFilter) async throws -> Int
    /// One coupon by id, within the application (and the filter's campaign).
    func coupon(id: Int64, applicationId: Int64, filter: CouponFilter) async throws -> Coupon
    /// Applies the changes to every coupon the filter names (one coupon: filter by id through `coupon`).
    func updateCoupons(applicationId: Int64, filter: CouponFilter, couponId: Int64?, changes: CouponChanges)
        async throws -> Int
    func deleteCoupons(applicationId: Int64, filter: CouponFilter, couponId: Int64?) async throws -> Int
}

extension CouponStore {
    /// Every coupon the filter names, handed over a page at a time in id order (keyset paging: each page
    /// costs the same however deep it is, and only one page is in memory).
    public func forEachCouponPage(
        applicationId: Int64, filter: CouponFilter, pageSize: Int = 1000, _ body: ([Coupon]) async throws -> Void
    ) async throws {
        var filter = filter
        while true {
            let (page, hasMore) = try await coupons(
                applicationId: applicationId, filter: filter, page: PageRequest(pageSize: pageSize)
            )
            if !page.isEmpty { try await body(page) }
            guard hasMore, let last = page.last else { return }
            filter.afterId = last.id
        }
    }

    public func insertCoupons(_ coupons: [Coupon], applicationId: Int64, normalizedValues: [String]) async throws
        -> [Coupon]
    {
        try await insertCoupons(coupons, applicationId: applicationId, normalizedValues: normalizedValues,
                                skipExisting: true)
    }
}
