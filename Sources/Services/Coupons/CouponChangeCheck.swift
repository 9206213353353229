import Foundation
import PromotionEngine
import Storage

extension CouponChanges {
    /// What the Management API and the Campaign Manager refuse in a coupon edit.
    public func validate() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let usageLimit, !(0...999_999).contains(usageLimit) {
            issues.append(.init(pointer: "/usageLimit", message: "must be 0 (unlimited) to 999999"))
        }
        if let discountLimit, discountLimit < 0 {
            issues.append(.init(pointer: "/discountLimit", message: "must not be negative"))
        }
        return issues
    }
}
