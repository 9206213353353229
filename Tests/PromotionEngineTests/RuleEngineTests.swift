import Foundation
import PromotionEngine
import Testing

let now = Date(timeIntervalSince1970: 1_800_000_000)

func shop(currency: String = "EUR") -> Application {
    Application(id: 1, accountId: 1, created: now, modified: now,
                settings: ApplicationSettings(name: "shop", timezone: "UTC", currency: currency))
}

/// The tutorial's cart: a 49 blouse and 74 trousers.
func tutorialSession(codes: [String] = ["xmas20"], profileId: String? = nil) -> CustomerSession {
    CustomerSession(
        integrationId: "s1", applicationId: 1, profileId: profileId, couponCodes: codes,
        cartItems: [
            CartItem(name: "Red Spring Blouse", sku: "rdbs-1111", quantity: 1, price: 49, category: "Shirts"),
            CartItem(name: "Denim Trousers", sku: "dtr-2222", quantity: 1, price: 74, category: "Trousers"),
        ],
        created: now, updated: now
    )
}

/// "Any valid coupon code gives 20% off the session": `couponValid` → `setDiscount(Session.Total × 0.2)`.
func twentyPercentWithCoupon(campaignId: Int64 = 10) -> CampaignProgram {
    CampaignProgram(
        campaignId: campaignId, rulesetId: 100, name: "xmas", usesCoupons: true,
        rules: [CompiledRule(
            title: "20% off",
            condition: { $0.couponValid() },
            effects: [{ scope in scope.setDiscount(name: "20% off", value: scope.remainingTotal * Decimal(string: "0.2")!) }]
        )]
    )
}

func evaluate(
    _ session: CustomerSession, campaigns: [CampaignProgram], coupons: [Coupon] = [], application: Application = shop()
) -> EvaluationOutcome {
    RuleEngine.evaluate(EvaluationInput(
        application: application, session: session, profile: nil, campaigns: campaigns, coupons: coupons, now: now
    ))
}

func discountValues(_ outcome: EvaluationOutcome) -> [Decimal] {
    outcome.effects.filter { $0.effectType == "setDiscount" }.compactMap {
        if case .number(let value)? = $0.props["value"] { value } else { nil }
    }
}

func rejection(_ outcome: EvaluationOutcome) -> String? {
    guard let effect = outcome.effects.first(where: { $0.effectType == "rejectCoupon" }),
          case .string(let reason)? = effect.props["rejectionReason"] else { return nil }
    return reason
}

@Suite struct RuleEngineTests {
    @Test func tutorialCouponGivesTwentyPercentOf123() {
        let outcome = evaluate(tutorialSession(), campaigns: [twentyPercentWithCoupon()],
                               coupons: [Coupon(id: 7, campaignId: 10, value: "xmas20")])
        #expect(outcome.effects.map(\.effectType) == ["acceptCoupon", "setDiscount"])
        #expect(discountValues(outcome) == [Decimal(string: "24.6")!])
        #expect(outcome.acceptedCoupons.map(\.couponId) == [7])
        #expect(outcome.effects[1].triggeredByCoupon == 7)
        #expect(outcome.effects[1].ruleName == "20% off")
    }

    @Test func unknownCodeIsCouponNotFound() {
        let outcome = evaluate(tutorialSession(codes: ["nope"]), campaigns: [twentyPercentWithCoupon()])
        #expect(rejection(outcome) == "CouponNotFound")
        #expect(discountValues(outcome).isEmpty)
        #expect(outcome.acceptedCoupons.isEmpty)
    }

    @Test func exhaustedCouponIsLimitReached() {
        let coupon = Coupon(id: 7, campaignId: 10, value: "xmas20", usageLimit: 1, usageCounter: 1)
        let outcome = evaluate(tutorialSession(), campaigns: [twentyPercentWithCoupon()], coupons: [coupon])
        #expect(rejection(outcome) == "CouponLimitReached")
        #expect(discountValues(outcome).isEmpty)
    }

    @Test func expiredAndFutureCoupons() {
        var expired = Coupon(id: 7, campaignId: 10, value: "xmas20")
        expired.expiryDate = now
        #expect(rejection(evaluate(tutorialSession(), campaigns: [twentyPercentWithCoupon()], coupons: [expired]))
            == "CouponExpired")
        var future = Coupon(id: 7, campaignId: 10, value: "xmas20")
        future.startDate = now.addingTimeInterval(60)
        #expect(rejection(evaluate(tutorialSession(), campaigns: [twentyPercentWithCoupon()], coupons: [future]))
            == "CouponStartDateInFuture")
    }

    @Test func couponForSomeoneElseIsRecipientMismatch() {
        var coupon = Coupon(id: 7, campaignId: 10, value: "xmas20")
        coupon.recipientIntegrationId = "alice"
        let outcome = evaluate(tutorialSession(profileId: "bob"), campaigns: [twentyPercentWithCoupon()],
                               coupons: [coupon])
        #expect(rejection(outcome) == "CouponRecipientDoesNotMatch")
    }

    @Test func couponOfDisabledCampaignIsNotRunning() {
        var campaign = twentyPercentWithCoupon()
        campaign.enabled = false
        let outcome = evaluate(tutorialSession(), campaigns: [campaign],
                               coupons: [Coupon(id: 7, campaignId: 10, value: "xmas20")])
        #expect(rejection(outcome) == "CouponPartOfNotRunningCampaign")
    }

    @Test func couponWhoseConditionFailsIsRejectedByCondition() {
        let campaign = CampaignProgram(
            campaignId: 10, rulesetId: 100, name: "big carts", usesCoupons: true,
            rules: [CompiledRule(title: "over 500", condition: { $0.couponValid() && $0.session.total > 500 },
                                 effects: [{ $0.setDiscount(name: "x", value: 10) }])]
        )
        let outcome = evaluate(tutorialSession(), campaigns: [campaign],
                               coupons: [Coupon(id: 7, campaignId: 10, value: "xmas20")])
        #expect(rejection(outcome) == "CouponRejectedByCondition")
        #expect(outcome.acceptedCoupons.isEmpty)
    }

    @Test func caseInsensitiveApplicationsMatchCodesInAnyCase() {
        var application = shop()
        application.settings.caseSensitivity = .insensitiveUppercase
        let outcome = evaluate(tutorialSession(codes: ["XMAS20"]), campaigns: [twentyPercentWithCoupon()],
                               coupons: [Coupon(id: 7, campaignId: 10, value: "xmas20")], application: application)
        #expect(outcome.acceptedCoupons.count == 1)
    }

    @Test func discountsNeverTakeTheTotalBelowZero() {
        let campaign = CampaignProgram(campaignId: 1, rulesetId: 1, name: "huge", rules: [
            CompiledRule(title: "200 off", condition: { _ in true },
                         effects: [{ $0.setDiscount(name: "200 off", value: 200) }]),
            CompiledRule(title: "5 more", condition: { _ in true },
                         effects: [{ $0.setDiscount(name: "5 more", value: 5) }]),
        ])
        let outcome = evaluate(tutorialSession(codes: []), campaigns: [campaign])
        #expect(discountValues(outcome) == [123, 0])
        #expect(outcome.effects[0].props["desiredValue"] == .number(200))
        #expect(outcome.totalDiscount == 123)
    }

    @Test func cascadingPercentagesComputeOnWhatIsLeft() {
        // Two 10% campaigns on 100: 10 + 9 when each computes on the remaining total.
        func tenPercent(_ id: Int64) -> CampaignProgram {
            CampaignProgram(campaignId: id, rulesetId: id, name: "10%", rules: [
                CompiledRule(title: "10%", condition: { _ in true },
                             effects: [{ $0.setDiscount(name: "10%", value: $0.remainingTotal / 10) }]),
            ])
        }
        let session = CustomerSession(integrationId: "s", applicationId: 1,
                                      cartItems: [CartItem(sku: "a", quantity: 1, price: 100)], created: now, updated: now)
        #expect(discountValues(evaluate(session, campaigns: [tenPercent(1), tenPercent(2)])) == [10, 9])
    }

    @Test func discountsRoundToTheCurrencyMinorUnit() {
        let campaign = CampaignProgram(campaignId: 1, rulesetId: 1, name: "third", rules: [
            CompiledRule(title: "a third", condition: { _ in true },
                         effects: [{ $0.setDiscount(name: "third", value: $0.session.total / 3) }]),
        ])
        let session = CustomerSession(integrationId: "s", applicationId: 1,
                                      cartItems: [CartItem(sku: "a", quantity: 1, price: 100)], created: now, updated: now)
        #expect(discountValues(evaluate(session, campaigns: [campaign])) == [Decimal(string: "33.33")!])
        #expect(discountValues(evaluate(session, campaigns: [campaign], application: shop(currency: "JPY"))) == [33])
        #expect(Money.round(Decimal(string: "0.125")!, scale: 2) == Decimal(string: "0.13")!)
        #expect(Money.round(Decimal(string: "-0.125")!, scale: 2) == Decimal(string: "-0.13")!)
    }

    @Test func aRuleWhoseEffectFailsKeepsNoneOfItsEffects() {
        let campaign = CampaignProgram(campaignId: 1, rulesetId: 1, name: "broken", rules: [
            CompiledRule(title: "half applies", condition: { _ in true }, effects: [
                { $0.setDiscount(name: "first", value: 10) },
                { try $0.setDiscountPerItem(name: "missing item", value: 1, position: 99) },
            ]),
            CompiledRule(title: "fine", condition: { _ in true }, effects: [{ $0.setDiscount(name: "ok", value: 1) }]),
        ])
        let outcome = evaluate(tutorialSession(codes: []), campaigns: [campaign])
        #expect(discountValues(outcome) == [1])
    }

    @Test func exclusiveCampaignStopsTheOnesAfterIt() {
        var first = CampaignProgram(campaignId: 1, rulesetId: 1, name: "exclusive", rules: [
            CompiledRule(title: "5", condition: { _ in true }, effects: [{ $0.setDiscount(name: "5", value: 5) }]),
        ])
        first.exclusive = true
        let second = CampaignProgram(campaignId: 2, rulesetId: 2, name: "other", rules: [
            CompiledRule(title: "7", condition: { _ in true }, effects: [{ $0.setDiscount(name: "7", value: 7) }]),
        ])
        #expect(discountValues(evaluate(tutorialSession(codes: []), campaigns: [first, second])) == [5])
        #expect(evaluate(tutorialSession(codes: []), campaigns: [first, second]).triggeredCampaignIds == [1])
    }

    @Test func evaluableCampaignIdsRestrictTheRun() {
        let campaigns = (1...3).map { id in
            CampaignProgram(campaignId: Int64(id), rulesetId: 1, name: "c\(id)", rules: [
                CompiledRule(title: "1", condition: { _ in true }, effects: [{ $0.setDiscount(name: "1", value: 1) }]),
            ])
        }
        let outcome = RuleEngine.evaluate(EvaluationInput(
            application: shop(), session: tutorialSession(codes: []), profile: nil, campaigns: campaigns, coupons: [],
            evaluableCampaignIds: [2], now: now
        ))
        #expect(outcome.triggeredCampaignIds == [2])
    }

    @Test func campaignsOutsideTheirScheduleDoNotRun() {
        var campaign = twentyPercentWithCoupon()
        campaign.startTime = now.addingTimeInterval(3600)
        #expect(evaluate(tutorialSession(codes: []), campaigns: [campaign]).effects.isEmpty)
        campaign.startTime = nil
        campaign.endTime = now
        #expect(evaluate(tutorialSession(codes: []), campaigns: [campaign]).effects.isEmpty)
    }
}

@Suite struct SessionTests {
    @Test func totalsAddItemsAndAdditionalCosts() {
        var session = tutorialSession()
        session.additionalCosts = ["shipping": AdditionalCost(price: 5), "fees": AdditionalCost(price: Decimal(string: "3.5")!)]
        #expect(session.cartItemTotal == 123)
        #expect(session.additionalCostTotal == Decimal(string: "8.5")!)
        #expect(session.total == Decimal(string: "131.5")!)
    }

    @Test func decimalArithmeticIsExact() {
        #expect(Decimal(string: "0.1")! + Decimal(string: "0.2")! == Decimal(string: "0.3")!)
    }

    @Test func stateMachine() {
        #expect(SessionState.open.canChange(to: .closed))
        #expect(SessionState.open.canChange(to: .cancelled))
        #expect(SessionState.closed.canChange(to: .cancelled))
        #expect(!SessionState.closed.canChange(to: .open))
        #expect(!SessionState.cancelled.canChange(to: .open))
        #expect(!SessionState.cancelled.canChange(to: .closed))
    }

    @Test func updateReplacesSentFieldsAndKeepsOthers() {
        var update = SessionUpdate()
        update.couponCodes = ["new"]
        let next = update.applied(to: tutorialSession(profileId: "p1"), now: now.addingTimeInterval(1))
        #expect(next.couponCodes == ["new"])
        #expect(next.profileId == "p1")
        #expect(next.cartItems.count == 2)
        #expect(next.updateCount == 1)
    }

    @Test func negativeQuantitiesAndPricesAreRefusedWithPointers() {
        var update = SessionUpdate()
        update.cartItems = [CartItem(sku: "a", quantity: -1, price: -2)]
        let pointers = update.validate().map(\.pointer)
        #expect(pointers.contains("/customerSession/cartItems/0/quantity"))
        #expect(pointers.contains("/customerSession/cartItems/0/price"))
    }
}
