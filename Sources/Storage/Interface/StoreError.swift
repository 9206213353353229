/// Failures a storage backend reports in backend-neutral terms; the HTTP layer maps them to statuses.
public enum StoreError: Error, Sendable, Equatable {
    /// The addressed entity does not exist (or is not visible to the caller's account).
    case notFound(entity: String)
    /// A uniqueness rule would be broken, e.g. a second user with the same email.
    case conflict(String)
    /// The request names a sort field that the listing does not support.
    case unsupportedSort(field: String)
    /// Another request changed the customer session since this one read it (optimistic concurrency).
    case sessionChanged
    /// A coupon reached its usage limit between the read and the commit.
    case couponLimitReached(couponId: Int64)
    /// A campaign budget was used up between the read and the commit.
    case campaignLimitReached(campaignId: Int64)
    /// A referral code reached its usage limit, or its friend was referred in the campaign meanwhile.
    case referralLimitReached(referralId: Int64)
}
