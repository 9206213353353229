import Foundation
import PromotionEngine
import Storage

/// What a coupon batch asks for (`NewCoupons`), validated.
public struct CouponRequest: Sendable {
    public var numberOfCoupons: Int
    public var pattern: CouponPattern
    public var template: Coupon
    /// One coupon per recipient, bound to it (`createCouponsForMultipleRecipients`); `numberOfCoupons` is their count.
    public var recipients: [String] = []

    public init(numberOfCoupons: Int, pattern: CouponPattern, template: Coupon) {
        self.numberOfCoupons = numberOfCoupons
        self.pattern = pattern
        self.template = template
    }
}

/// Creates coupons from a pattern: random candidates, inserted in batches, retried for the ones that
/// collided with existing codes, so a batch never holds a duplicate and never half-fails silently.
public struct CouponGeneration: Sendable {
    let store: any Store
    /// Codes per insert transaction: large enough to amortize the commit, small enough to keep the
    /// write lock short for the session path.
    public static let batchSize = 2_000

    public init(store: any Store) { self.store = store }

    /// Generates all codes and returns them (the synchronous route: at most 20,000); `progress` is told the
    /// running total after each batch.
    public func generate(
        _ request: CouponRequest, application: Application,
        progress: @Sendable (Int) async throws -> Void = { _ in }
    ) async throws -> [Coupon] {
        var created: [Coupon] = []
        _ = try await generate(request, application: application, progress: progress) { created += $0 }
        return created
    }

    /// Generates all codes and returns only how many (background jobs of up to millions: nothing is kept).
    public func generateCount(
        _ request: CouponRequest, application: Application,
        progress: @Sendable (Int) async throws -> Void = { _ in }
    ) async throws -> Int {
        try await generate(request, application: application, progress: progress) { _ in }
    }

    private func generate(
        _ request: CouponRequest, application: Application, progress: @Sendable (Int) async throws -> Void,
        collect: ([Coupon]) -> Void
    ) async throws -> Int {
        var generator = SystemRandomNumberGenerator()
        var count = 0
        var fruitlessRounds = 0
        var waitingRecipients = request.recipients
        while count < request.numberOfCoupons {
            // Long jobs stay cancellable and never hold a pool thread for more than one batch.
            try Task.checkCancellation()
            await Task.yield()
            let wanted = min(Self.batchSize, request.numberOfCoupons - count)
            var candidates: [String: Coupon] = [:]
            // Bounded: random draws from a space that is (nearly) used up stop and let the outer loop decide.
            var draws = 0
            while candidates.count < wanted, draws < wanted * 4 + 64 {
                draws += 1
                var coupon = request.template
                coupon.value = request.pattern.placeholderCount == 0
                    ? request.pattern.pattern : request.pattern.generate(using: &generator)
                if candidates.count < waitingRecipients.count {
                    coupon.recipientIntegrationId = waitingRecipients[candidates.count]
                }
                // A repeated draw keeps the first candidate, so each recipient is drawn for once per round.
                let normalized = application.normalizedCouponCode(coupon.value)
                if candidates[normalized] == nil { candidates[normalized] = coupon }
                if request.pattern.placeholderCount == 0 { break }
            }
            let ordered = Array(candidates)
            let inserted = try await store.insertCoupons(
                ordered.map(\.value), applicationId: application.id, normalizedValues: ordered.map(\.key)
            )
            collect(inserted)
            if !waitingRecipients.isEmpty {
                // A recipient whose code collided with an existing one gets another next round.
                let placed = Set(inserted.compactMap(\.recipientIntegrationId))
                waitingRecipients.removeAll { placed.contains($0) }
            }
            count += inserted.count
            try await progress(count)
            fruitlessRounds = inserted.isEmpty ? fruitlessRounds + 1 : 0
            if ordered.isEmpty { break }
            if request.pattern.placeholderCount == 0 || fruitlessRounds >= 20 { break }
        }
        return count
    }
}
