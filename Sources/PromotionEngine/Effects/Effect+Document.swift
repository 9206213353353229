import Foundation

// The document form of an effect: Talon.One's v2 effect object (`campaignId`, `rulesetId`, `ruleIndex`,
// `ruleName`, `effectType`, `props`, `triggeredByCoupon`). Stored sessions and events keep their effects in
// this form, so an answer splices the stored text instead of encoding again (the hot path writes it once,
// with `JSONText`); the HTTP layer chooses which wire form each response uses (v1 arrays for `Event`).
// Props follow the spec's schema for each effect type.

extension EffectKind {
    /// The effect's `props` object.
    public var props: [String: JSONValue] {
        switch self {
        case .acceptCoupon(let code), .rollbackCoupon(let code):
            return ["value": .string(code)]
        case .rejectCoupon(let rejection):
            var props: [String: JSONValue] = [
                "value": .string(rejection.code), "rejectionReason": .string(rejection.reason.rawValue),
            ]
            if let details = rejection.details { props["details"] = .string(details) }
            if let exclusion = rejection.campaignExclusionReason {
                props["campaignExclusionReason"] = .string(exclusion.rawValue)
            }
            return props
        case .couponCreated(let code, let profileId):
            return ["value": .string(code), "profileId": .string(profileId)]
        case .reserveCoupon(let reservation):
            return ["couponValue": .string(reservation.couponValue),
                    "profileIntegrationId": .string(reservation.profileIntegrationId),
                    "isNewReservation": .bool(reservation.isNewReservation)]
        case .referralCreated(let creation):
            return ["value": .string(creation.code)]
        case .setDiscount(let discount):
            var props: [String: JSONValue] = [
                "name": .string(discount.name), "value": .number(discount.value), "scope": .string(discount.scope.rawValue),
            ]
            if discount.desiredValue != discount.value { props["desiredValue"] = .number(discount.desiredValue) }
            return props
        case .setDiscountPerItem(let discount):
            var props: [String: JSONValue] = [
                "name": .string(discount.name), "value": .number(discount.value),
                "position": .number(Decimal(discount.position)), "scope": .string(discount.scope.rawValue),
            ]
            if discount.desiredValue != discount.value { props["desiredValue"] = .number(discount.desiredValue) }
            return props
        case .setDiscountPerAdditionalCost(let discount):
            var props: [String: JSONValue] = [
                "name": .string(discount.name), "value": .number(discount.value),
                "additionalCost": .string(discount.additionalCost),
                "additionalCostId": .number(Decimal(discount.additionalCostId)),
            ]
            if discount.desiredValue != discount.value { props["desiredValue"] = .number(discount.desiredValue) }
            return props
        case .rollbackDiscount(let rollback):
            var props: [String: JSONValue] = [
                "name": .string(rollback.name), "value": .number(rollback.value), "scope": .string(rollback.scope.rawValue),
            ]
            if let position = rollback.cartItemPosition { props["cartItemPosition"] = .number(Decimal(position)) }
            return props
        case .addFreeItem(let sku, let name):
            return ["sku": .string(sku), "name": .string(name)]
        case .showNotification(let type, let title, let body):
            return ["notificationType": .string(type), "title": .string(title), "body": .string(body)]
        case .updateAttribute(let path, let value):
            return ["path": .string(path), "value": value]
        case .customEffect(let effectId, let name, let payload):
            return ["effectId": .number(Decimal(effectId)), "name": .string(name), "payload": payload]
        case .addLoyaltyPoints(let change), .deductLoyaltyPoints(let change), .rollbackAddedLoyaltyPoints(let change),
             .rollbackDeductedLoyaltyPoints(let change):
            return change.props(for: type)
        case .changeLoyaltyTierLevel(let change):
            return change.props
        case .acceptReferral(let code), .rollbackReferral(let code):
            return ["value": .string(code)]
        case .rejectReferral(let rejection):
            var props: [String: JSONValue] = [
                "value": .string(rejection.code), "rejectionReason": .string(rejection.reason.rawValue),
            ]
            if let details = rejection.details { props["details"] = .string(details) }
            return props
        case .addToAudience(let audience), .removeFromAudience(let audience):
            return ["audienceId": .number(Decimal(audience.audienceId)), "audienceName": .string(audience.audienceName),
                    "profileIntegrationId": .string(audience.profileIntegrationId),
                    "profileId": .number(Decimal(audience.profileId))]
        case .triggerWebhook(let trigger):
            return ["webhookId": .number(Decimal(trigger.webhookId)), "webhookName": .string(trigger.webhookName)]
        case .awardGiveaway(let award):
            return ["poolId": .number(Decimal(award.poolId)), "poolName": .string(award.poolName),
                    "recipientIntegrationId": .string(award.recipientIntegrationId),
                    "giveawayId": .number(Decimal(award.giveawayId)), "code": .string(award.code)]
        case .willAwardGiveaway(let award):
            return ["poolId": .number(Decimal(award.poolId)), "poolName": .string(award.poolName),
                    "recipientIntegrationId": .string(award.recipientIntegrationId)]
        case .increaseAchievementProgress(let progress):
            return progress.props
        case .rollbackIncreasedAchievementProgress(let rollback):
            return rollback.props
        case .loyaltyPointsExpiry(let change):
            return change.props
        }
    }

    /// Reads the props of a stored effect of `type` back; throws on a type Sconto does not emit.
    public init(type: EffectType, props: [String: JSONValue]) throws {
        let reader = PropsReader(type: type, props: props)
        switch type {
        case .acceptCoupon: self = .acceptCoupon(code: try reader.string("value"))
        case .rollbackCoupon: self = .rollbackCoupon(code: try reader.string("value"))
        case .rejectCoupon:
            guard let reason = CouponRejectionReason(rawValue: try reader.string("rejectionReason")) else {
                throw reader.invalid("rejectionReason")
            }
            self = .rejectCoupon(.init(
                code: try reader.string("value"), reason: reason, details: reader.optionalString("details"),
                campaignExclusionReason: reader.optionalString("campaignExclusionReason")
                    .flatMap(CampaignExclusionReason.init(rawValue:))
            ))
        case .couponCreated:
            // Sessions stored before the props followed the spec carry the code as `couponValue`.
            let code = reader.optionalString("value") ?? reader.optionalString("couponValue")
            guard let code else { throw reader.invalid("value") }
            self = .couponCreated(code: code, profileId: reader.optionalString("profileId") ?? "")
        case .setDiscount:
            let value = try reader.number("value")
            self = .setDiscount(.init(
                name: try reader.string("name"), value: value, desiredValue: reader.optionalNumber("desiredValue") ?? value,
                scope: reader.scope(default: .sessionTotal)
            ))
        case .setDiscountPerItem:
            let value = try reader.number("value")
            self = .setDiscountPerItem(.init(
                name: try reader.string("name"), value: value, desiredValue: reader.optionalNumber("desiredValue") ?? value,
                position: try reader.int("position"), scope: reader.scope(default: .itemTotal)
            ))
        case .setDiscountPerAdditionalCost:
            let value = try reader.number("value")
            self = .setDiscountPerAdditionalCost(.init(
                name: try reader.string("name"), value: value, desiredValue: reader.optionalNumber("desiredValue") ?? value,
                additionalCost: try reader.string("additionalCost"),
                additionalCostId: Int64(reader.optionalNumber("additionalCostId").map { NSDecimalNumber(decimal: $0).int64Value } ?? 0)
            ))
        case .rollbackDiscount:
            self = .rollbackDiscount(.init(
                name: try reader.string("name"), value: try reader.number("value"),
                scope: reader.scope(default: .sessionTotal),
                cartItemPosition: reader.optionalNumber("cartItemPosition").map { NSDecimalNumber(decimal: $0).intValue }
            ))
        case .addFreeItem: self = .addFreeItem(sku: try reader.string("sku"), name: try reader.string("name"))
        case .showNotification:
            self = .showNotification(
                type: try reader.string("notificationType"), title: try reader.string("title"), body: try reader.string("body")
            )
        case .updateAttribute: self = .updateAttribute(path: try reader.string("path"), value: props["value"] ?? .null)
        case .customEffect:
            self = .customEffect(
                effectId: reader.optionalNumber("effectId").map { NSDecimalNumber(decimal: $0).int64Value } ?? 0,
                name: try reader.string("name"), payload: props["payload"] ?? .null
            )
        case .addLoyaltyPoints: self = .addLoyaltyPoints(try LoyaltyPointsChange(props: props, type: type))
        case .deductLoyaltyPoints: self = .deductLoyaltyPoints(try LoyaltyPointsChange(props: props, type: type))
        case .rollbackAddedLoyaltyPoints:
            self = .rollbackAddedLoyaltyPoints(try LoyaltyPointsChange(props: props, type: type))
        case .rollbackDeductedLoyaltyPoints:
            self = .rollbackDeductedLoyaltyPoints(try LoyaltyPointsChange(props: props, type: type))
        case .changeLoyaltyTierLevel: self = .changeLoyaltyTierLevel(try LoyaltyTierChange(props: props))
        case .reserveCoupon:
            self = .reserveCoupon(CouponReservationEffect(
                couponValue: try reader.string("couponValue"),
                profileIntegrationId: try reader.string("profileIntegrationId"),
                isNewReservation: reader.optionalBool("isNewReservation") ?? false
            ))
        case .referralCreated: self = .referralCreated(ReferralCreation(code: try reader.string("value")))
        case .acceptReferral: self = .acceptReferral(code: try reader.string("value"))
        case .rollbackReferral: self = .rollbackReferral(code: try reader.string("value"))
        case .rejectReferral:
            guard let reason = ReferralRejectionReason(rawValue: try reader.string("rejectionReason")) else {
                throw reader.invalid("rejectionReason")
            }
            self = .rejectReferral(.init(code: try reader.string("value"), reason: reason,
                                         details: reader.optionalString("details")))
        case .addToAudience, .removeFromAudience:
            let props = AudienceEffect(
                audienceId: Int64(try reader.int("audienceId")), audienceName: reader.optionalString("audienceName") ?? "",
                profileIntegrationId: try reader.string("profileIntegrationId"),
                profileId: reader.optionalNumber("profileId").map { NSDecimalNumber(decimal: $0).int64Value } ?? 0
            )
            self = type == .addToAudience ? .addToAudience(props) : .removeFromAudience(props)
        case .triggerWebhook:
            self = .triggerWebhook(.init(webhookId: Int64(try reader.int("webhookId")),
                                         webhookName: reader.optionalString("webhookName") ?? ""))
        case .awardGiveaway, .willAwardGiveaway:
            var award = GiveawayAward(
                poolId: Int64(try reader.int("poolId")), poolName: reader.optionalString("poolName") ?? "",
                recipientIntegrationId: try reader.string("recipientIntegrationId")
            )
            if type == .awardGiveaway {
                award.giveawayId = Int64(try reader.int("giveawayId"))
                award.code = try reader.string("code")
                self = .awardGiveaway(award)
            } else {
                self = .willAwardGiveaway(award)
            }
        case .increaseAchievementProgress:
            var progress = AchievementProgress(
                achievementId: Int64(try reader.int("achievementId")), achievementName: try reader.string("achievementName"),
                delta: try reader.number("delta"), value: try reader.number("value"), target: try reader.number("target"),
                isJustCompleted: reader.optionalBool("isJustCompleted") ?? false
            )
            progress.progressTrackerId = reader.optionalNumber("progressTrackerId").map { NSDecimalNumber(decimal: $0).int64Value }
            self = .increaseAchievementProgress(progress)
        case .rollbackIncreasedAchievementProgress:
            self = .rollbackIncreasedAchievementProgress(AchievementRollback(
                achievementId: Int64(try reader.int("achievementId")), achievementName: try reader.string("achievementName"),
                progressTrackerId: Int64(try reader.int("progressTrackerId")),
                decreaseProgressBy: try reader.number("decreaseProgressBy"),
                currentProgress: try reader.number("currentProgress"), target: try reader.number("target"), campaignId: 0
            ))
        case .setLoyaltyPointsExpiryDate, .extendLoyaltyPointsExpiryDate:
            self = .loyaltyPointsExpiry(try LoyaltyExpiryChange(props: props, type: type))
        default:
            throw EffectDocumentError(message: "effect type \(type.rawValue) is not one Sconto emits")
        }
    }
}

public struct EffectDocumentError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

private struct PropsReader {
    let type: EffectType
    let props: [String: JSONValue]

    func invalid(_ key: String) -> EffectDocumentError {
        EffectDocumentError(message: "\(type.rawValue) effect: props.\(key) is missing or invalid")
    }

    func optionalString(_ key: String) -> String? {
        if case .string(let text)? = props[key] { text } else { nil }
    }

    func string(_ key: String) throws -> String {
        guard let text = optionalString(key) else { throw invalid(key) }
        return text
    }

    func optionalNumber(_ key: String) -> Decimal? {
        if case .number(let number)? = props[key] { number } else { nil }
    }

    func number(_ key: String) throws -> Decimal {
        guard let number = optionalNumber(key) else { throw invalid(key) }
        return number
    }

    func int(_ key: String) throws -> Int { NSDecimalNumber(decimal: try number(key)).intValue }

    func optionalBool(_ key: String) -> Bool? {
        if case .bool(let flag)? = props[key] { flag } else { nil }
    }

    func scope(default fallback: DiscountScope) -> DiscountScope {
        optionalString("scope").flatMap(DiscountScope.init(rawValue:)) ?? fallback
    }
}

extension Effect: Codable {
    enum CodingKeys: String, CodingKey {
        case campaignId, rulesetId, ruleIndex, ruleName, effectType, props, triggeredByCoupon
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        campaignId = try container.decode(Int64.self, forKey: .campaignId)
        rulesetId = try container.decode(Int64.self, forKey: .rulesetId)
        ruleIndex = try container.decode(Int.self, forKey: .ruleIndex)
        ruleName = try container.decode(String.self, forKey: .ruleName)
        triggeredByCoupon = try container.decodeIfPresent(Int64.self, forKey: .triggeredByCoupon)
        let type = try container.decode(EffectType.self, forKey: .effectType)
        let props = try container.decode([String: JSONValue].self, forKey: .props)
        do {
            kind = try EffectKind(type: type, props: props)
        } catch let error as EffectDocumentError {
            throw DecodingError.dataCorruptedError(forKey: .props, in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(campaignId, forKey: .campaignId)
        try container.encode(rulesetId, forKey: .rulesetId)
        try container.encode(ruleIndex, forKey: .ruleIndex)
        try container.encode(ruleName, forKey: .ruleName)
        try container.encode(type, forKey: .effectType)
        try container.encode(kind.props, forKey: .props)
        try container.encodeIfPresent(triggeredByCoupon, forKey: .triggeredByCoupon)
    }
}
