import Foundation
import Talang

/// Conversions between the API's JSON and the rule language's values, and the bindings rules see.
extension TalangValue {
    public init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .boolean(value)
        case .number(let value): self = .decimal(value)
        case .string(let value): self = .string(value)
        case .array(let values): self = .list(values.map(TalangValue.init))
        case .object(let members): self = .map(members.mapValues(TalangValue.init))
        }
    }
}

extension JSONValue {
    public init(_ value: TalangValue) {
        switch value {
        case .null: self = .null
        case .boolean(let value): self = .bool(value)
        case .decimal(let value): self = .number(value)
        case .string(let value): self = .string(value)
        case .time(let value): self = .string(value.description)
        case .list(let values): self = .array(values.map(JSONValue.init))
        case .map(let members): self = .object(members.mapValues(JSONValue.init))
        }
    }
}

/// The root bindings of one evaluation: `Session`, `Profile`, `Coupon`, `Event`, `Application`.
///
/// Built once per evaluation and kept in the scope; only the coupon (per coupon evaluated) and, with
/// cascading discounts, `Session.Total` change between rules, so only those entries are replaced.
enum RuleBindings {
    static func make(_ scope: RuleScope, cascading: Bool) -> [String: TalangValue] {
        let couponId = scope.coupon?.id
        if let bindings = scope.bindings, couponId == scope.bindingsCouponId,
           !cascading || scope.bindingsTotal == scope.remainingTotal
        {
            return bindings  // the common case: nothing changed since the last rule
        }
        var bindings = scope.bindings ?? initial(scope)
        if scope.bindings == nil || couponId != scope.bindingsCouponId {
            bindings["Coupon"] = couponValue(scope.coupon)
            scope.bindingsCouponId = couponId
        }
        if cascading, scope.bindingsTotal != scope.remainingTotal,
           case .map(var session)? = bindings["Session"]
        {
            // Percentages computed on Session.Total see the discounts earlier campaigns gave.
            session["Total"] = .decimal(scope.remainingTotal)
            bindings["Session"] = .map(session)
            scope.bindingsTotal = scope.remainingTotal
        }
        scope.bindings = bindings
        return bindings
    }

    private static func initial(_ scope: RuleScope) -> [String: TalangValue] {
        [
            "Session": .map(sessionValue(scope)),
            "Profile": scope.profile == nil ? noProfile : profileValue(scope.profile),
            "Application": .map([
                "Name": .string(scope.application.settings.name),
                "Currency": .string(scope.application.settings.currency),
                "Attributes": .map((scope.application.settings.attributes ?? [:]).mapValues(TalangValue.init)),
            ]),
            "Referral": scope.referral.map(referralValue) ?? noReferral,
            "Event": scope.event.map(eventValue) ?? noEvent,
        ]
    }

    // What rules see without a coupon, referral, event or profile: built once, not per evaluation.
    private static let noCoupon: TalangValue = .map([
        "Code": .string(""), "Value": .string(""), "UsageCounter": .decimal(0), "UsageLimit": .decimal(0),
        "Attributes": .map([:]),
    ])
    private static let noReferral = referralValue(nil)
    private static let noEvent = eventValue(nil)
    private static let noProfile = profileValue(nil)

    private static func eventValue(_ event: CustomEvent?) -> TalangValue {
        .map([
            "Type": .string(event?.type ?? ""),
            "Attributes": .map((event?.attributes ?? [:]).mapValues(TalangValue.init)),
        ])
    }

    private static func couponValue(_ coupon: Coupon?) -> TalangValue {
        guard let coupon else { return noCoupon }
        return .map([
            "Code": .string(coupon.value), "Value": .string(coupon.value),
            "UsageCounter": .decimal(Decimal(coupon.usageCounter)), "UsageLimit": .decimal(Decimal(coupon.usageLimit)),
            "Attributes": .map((coupon.attributes ?? [:]).mapValues(TalangValue.init)),
        ])
    }

    private static func sessionValue(_ scope: RuleScope) -> [String: TalangValue] {
        // The totals the scope summed once (the cart is not added up again).
        let session = scope.session
        return [
            "IntegrationId": .string(session.integrationId),
            "ProfileId": .string(session.profileId ?? ""),
            "State": .string(session.state.rawValue),
            "Total": .decimal(DecimalMath.sum(scope.cartItemTotal, scope.additionalCostTotal)),
            "CartItemTotal": .decimal(scope.cartItemTotal),
            "AdditionalCostTotal": .decimal(scope.additionalCostTotal),
            "CouponCode": .string(session.couponCodes.first ?? ""),
            "CouponCodes": .list(session.couponCodes.map(TalangValue.string)),
            "ReferralCode": .string(session.referralCode ?? ""),
            "Identifiers": .list(session.identifiers.map(TalangValue.string)),
            "FirstSession": .boolean(session.firstSession),
            "UpdateCount": .decimal(Decimal(session.updateCount)),
            "Attributes": .map(session.attributes.mapValues(TalangValue.init)),
            "AdditionalCosts": .map(session.additionalCosts.mapValues { .map(["Price": .decimal($0.price)]) }),
            "CartItems": .list(session.cartItems.enumerated().map { index, item in
                .map([
                    "Name": .string(item.name ?? ""), "SKU": .string(item.sku),
                    "Quantity": .decimal(Decimal(item.quantity)), "Price": .decimal(item.price ?? 0),
                    "Category": .string(item.category ?? ""), "Weight": .decimal(item.weight ?? 0),
                    "Position": .decimal(Decimal(index)),
                    "Attributes": .map((item.attributes ?? [:]).mapValues(TalangValue.init)),
                ])
            }),
        ]
    }

    /// The session's valid referral (empty when the code is absent or was refused).
    private static func referralValue(_ referral: Referral?) -> TalangValue {
        .map([
            "Code": .string(referral?.code ?? ""),
            "AdvocateProfileIntegrationId": .string(referral?.advocateProfileIntegrationId ?? ""),
            "FriendProfileIntegrationId": .string(referral?.friendProfileIntegrationId ?? ""),
            "UsageCounter": .decimal(Decimal(referral?.usageCounter ?? 0)),
            "UsageLimit": .decimal(Decimal(referral?.usageLimit ?? 0)),
            "Attributes": .map((referral?.attributes ?? [:]).mapValues(TalangValue.init)),
        ])
    }

    private static func profileValue(_ profile: CustomerProfile?) -> TalangValue {
        .map([
            "IntegrationId": .string(profile?.integrationId ?? ""),
            "ClosedSessions": .decimal(Decimal(profile?.closedSessions ?? 0)),
            "TotalSales": .decimal(profile?.totalSales ?? 0),
            "Attributes": .map((profile?.attributes ?? [:]).mapValues(TalangValue.init)),
        ])
    }
}
