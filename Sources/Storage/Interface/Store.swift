import Foundation
import PromotionEngine

/// Users, logins and the account itself.
public protocol AccountStore: Sendable {
    /// On an empty database, creates account 1 and its first admin user; returns false when an account exists.
    func bootstrapAccount(adminEmail: String, adminName: String, passwordHash: String, now: Date) async throws -> Bool
    func user(email: String) async throws -> User?
    func user(id: Int64) async throws -> User?
    /// Stores a login and deletes the logins that have expired by its creation.
    func createAuthSession(_ session: AuthSession) async throws
    func authSession(tokenHash: String) async throws -> AuthSession?
    func deleteAuthSession(tokenHash: String) async throws
    /// Moves a login's expiry (its idle deadline) to `expires`.
    func extendAuthSession(tokenHash: String, expires: Date) async throws
    /// Sets the user's password and ends every other login of that user.
    func changePassword(userId: Int64, passwordHash: String, keepingTokenHash: String) async throws
}

/// Management API keys and per-application Integration API keys, stored by hash.
public protocol CredentialStore: Sendable {
    /// Inserts the key (its `id` is ignored) and returns it with the assigned id.
    func createManagementKey(_ key: ManagementKey) async throws -> ManagementKey
    func managementKeys(accountId: Int64) async throws -> [ManagementKey]
    func managementKey(keyHash: String) async throws -> ManagementKey?
    func deleteManagementKey(id: Int64, accountId: Int64) async throws

    /// Inserts the key (its `id` is ignored) and returns it with the assigned id.
    func createIntegrationKey(_ key: IntegrationKey) async throws -> IntegrationKey
    func integrationKeys(applicationId: Int64, page: PageRequest) async throws -> Page<IntegrationKey>
    func integrationKey(keyHash: String) async throws -> IntegrationKey?
    func deleteIntegrationKey(id: Int64, applicationId: Int64) async throws
}

/// Applications of an account.
public protocol ApplicationStore: Sendable {
    func createApplication(accountId: Int64, settings: ApplicationSettings, now: Date) async throws -> Application
    func application(id: Int64, accountId: Int64) async throws -> Application
    func applications(accountId: Int64, page: PageRequest) async throws -> Page<Application>
    func updateApplication(id: Int64, accountId: Int64, settings: ApplicationSettings, now: Date) async throws
        -> Application
    /// Deletes the application and everything that belongs to it (keys, campaigns, customer data).
    func deleteApplication(id: Int64, accountId: Int64) async throws
    /// The account owning an application (for services that start from an application id).
    func applicationAccountId(applicationId: Int64) async throws -> Int64
}

/// Everything Sconto persists, behind one backend-neutral async interface.
///
/// Each method is one transaction. Backends: `SQLiteStore` (embedded, default); PostgreSQL later.
public protocol Store: AccountStore, CredentialStore, ApplicationStore, SessionStore, ProfileStore, AccessLogStore,
    CustomerDataListing, CampaignStore, CouponStore, AttributeStore, CampaignGroupStore, CampaignTemplateStore,
    AdditionalCostStore, LoyaltyStore, LoyaltyCardStore, LoyaltyReportStore, ConfigurationRevisionStore, AccountSecurityStore, LeaseStore,
    CouponJobStore, ReferralStore, AudienceStore, CollectionStore, CouponReservationStore, WebhookStore, GiveawayStore,
    AchievementStore, CatalogStore, LoyaltyMembershipStore
{
    /// Answers once the database is open and migrated; used by `GET /healthz`.
    func ping() async throws
}

extension Date {
    /// This instant at the millisecond precision that every backend stores, so that what a create
    /// returns equals what a later read returns.
    ///
    /// Rounds to the nearest millisecond, so a time read back from storage (whose parsing may land a hair
    /// below the stored millisecond) maps to the same `Date` as the one written.
    public var storagePrecision: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}
